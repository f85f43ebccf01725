package relutornado.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.engine.DeviceInfo;
import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelCases;
import relutornado.engine.KernelVariants;
import relutornado.engine.tuning.TunedKernels;
import relutornado.engine.tuning.TuningFile;
import relutornado.model.Head;
import relutornado.model.ModelKind;
import relutornado.preprocess.Input;
import relutornado.report.RunSummary;
import relutornado.train.Experiment;
import relutornado.train.ExperimentConfig;
import relutornado.train.RunFolder;
import relutornado.train.TrainConfig;

/**
 * The measurements of {@code relu-tornado device-check}: java-parallel's reference figures, then on each TornadoVM
 * device and kind of device kernels every kernel against the JVM, the GEMM-shaped kernels, one training step per
 * model and where a step's device time goes; then the short trainings on java-parallel and on each device.
 */
public final class DeviceCheckRun {
    /** Training steps per model whose per-task kernel times are summed (after a compiling run). */
    public static final int PROFILED_STEPS = 3;

    private DeviceCheckRun() {
    }

    /**
     * What to check.
     *
     * @param devices  --devices: the devices to check, as --device takes them (B:D or a name pattern such as spirv:pocl);
     *                 null = every device TornadoVM lists
     * @param kinds    --device-kernels: the kinds checked on each device
     * @param seconds  --seconds: time per timed figure after its first (compiling) run
     * @param training not --no-training: run the short trainings
     * @param dataDir  --data-dir
     * @param out      --out: the trainings' run folders go to OUT/train/DEVICE/N
     * @param tuning   --tuning: the tuning file of the one device in {@code devices} for its tuned kernels; null = each
     *                 device's file under tuning/ if there is one
     * @param tune     whether and how each device is tuned before it is checked
     */
    public record Options(List<String> devices, List<DeviceKernels> kinds, double seconds, boolean training, Path dataDir, Path out,
                          Path tuning, Tune tune) {
        public Options {
            Objects.requireNonNull(tune, "tune");
            if (tuning != null && (devices == null || devices.size() != 1)) {
                throw new IllegalArgumentException("--tuning " + tuning + " is one device's file: name that device alone with --devices");
            }
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
            }
            if (devices != null) {
                for (String d : devices) {
                    // validates the form (indices or a name pattern) before anything runs
                    new EngineOptions("tornado", d, 1, false, "vector", DeviceKernels.TUNED);
                }
                devices = List.copyOf(devices);
            }
            kinds = List.copyOf(kinds);
        }
    }

    /**
     * Tuning before the check, by the tuner of {@code relu-tornado tune} ({@link Tuner}).
     *
     * @param on      --tune / --no-tune; null: tune a device that has no tuning file when tuned kernels are checked or trained
     * @param budget  --tune-budget: minutes, as tune's --budget
     * @param models  --tune-models: as tune's --models
     * @param seconds --tune-seconds: as tune's --seconds
     */
    public record Tune(Boolean on, double budget, List<String> models, double seconds) {
        public Tune {
            if (!(budget > 0)) {
                throw new IllegalArgumentException("--tune-budget must be > 0 minutes, got " + budget);
            }
            if (models.isEmpty() || !Tuner.MODELS.containsAll(models)) {
                throw new IllegalArgumentException("--tune-models must be some of " + Tuner.MODELS + ", got " + models);
            }
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--tune-seconds must be > 0, got " + seconds);
            }
            models = List.copyOf(models);
        }
    }

    /** A short training: what train's flags would say, typed (one 90/10 split, paper protocol, the paper's Adam). */
    public record Training(String name, DatasetName dataset, ModelKind model, Input input, Head head, int epochs, int limit) {
        public ExperimentConfig config(Path dataDir, Path out, EngineOptions engine) {
            return new ExperimentConfig(dataset, model, head, Protocol.PAPER, 1, TrainConfig.paper(epochs, TrainConfig.BATCH, TrainConfig.SEED),
                    limit, false, input == Input.PCA ? ExperimentConfig.PAPER_PCA : 0, true, dataDir, out, engine, input);
        }
    }

    public static final List<Training> TRAININGS = List.of(
            new Training("MNIST FFNN-softmax, 3 epochs, 10,000 rows", DatasetName.MNIST, ModelKind.FFNN, Input.PCA, Head.SOFTMAX, 3, 10_000),
            new Training("MNIST FFNN-ReLU, 3 epochs, 10,000 rows", DatasetName.MNIST, ModelKind.FFNN, Input.PCA, Head.RELU, 3, 10_000),
            new Training("MNIST pixels CNN-softmax, 1 epoch, 10,000 rows", DatasetName.MNIST, ModelKind.CNN, Input.PIXELS, Head.SOFTMAX, 1,
                    10_000));

    /** Runs every check; the figures and problems are in the report, which the caller writes. */
    public static DeviceCheckReport run(Options o) throws IOException {
        Files.createDirectories(o.out());
        List<DeviceInfo> listed = Engines.tornadoDeviceList();
        List<String> deviceLines = listed.isEmpty() ? Engines.tornadoDevices() : listed.stream().map(DeviceInfo::line).toList();
        System.out.println("TornadoVM devices:\n  " + String.join("\n  ", deviceLines));
        List<String> targets = o.devices() != null ? o.devices() : listed.stream().map(DeviceInfo::id).toList();
        DeviceCheckReport report = new DeviceCheckReport(deviceLines, targets, o.kinds());
        int cores = Runtime.getRuntime().availableProcessors();

        System.out.println("== java-parallel (" + cores + " threads): GEMM kernels, training steps");
        try (Engine jp = Engines.create(new EngineOptions("java-parallel", null, cores, false, "vector", DeviceKernels.TUNED))) {
            measure(report, jp, DeviceCheckReport.JVM, DeviceCheckReport.JVM_KERNELS, false, o.seconds());
        }
        Map<String, Path> tuningFiles = new HashMap<>();
        for (String d : targets) {
            Path tuning = tuning(report, o, d, listed);
            tuningFiles.put(d, tuning);
            for (DeviceKernels k : o.kinds()) {
                System.out.println("== " + d + " " + k + ": kernels against the JVM, GEMM kernels, training steps");
                try (Engine e = Engines.create(new EngineOptions("tornado", d, 1, false, "vector", k, tuning))) {
                    measure(report, e, d, k.flag(), true, o.seconds());
                } catch (RuntimeException ex) {
                    failed(report, d + " " + k, ex);
                }
                // a separate engine with the profiler on, so that its bookkeeping does not enter the timings above
                try (Engine e = Engines.create(new EngineOptions("tornado", d, 1, true, "vector", k, tuning))) {
                    for (DeviceCheck.TaskTime t : DeviceCheck.stepProfile(e, k == DeviceKernels.TUNED, PROFILED_STEPS)) {
                        report.add(new DeviceCheckReport.Figure(d, k.flag(), "step_tasks", t.model() + " | " + t.kernel() + " ×" + t.calls(),
                                "ms_per_step", t.msPerStep()));
                    }
                } catch (RuntimeException ex) {
                    failed(report, d + " " + k, ex);
                }
            }
        }
        if (o.training()) {
            train(report, o, DeviceCheckReport.JVM, DeviceCheckReport.JVM_KERNELS, trainingEngine(null, null));
            for (String d : targets) {
                train(report, o, d, DeviceKernels.TUNED.flag(), trainingEngine(d, tuningFiles.get(d)));
            }
        }
        return report;
    }

    /**
     * The device's tuning file: --tuning, else tuning/&lt;device slug&gt;.json. With --tune (or, without --tune/--no-tune, when
     * the device has no file and its tuned kernels run here) the tuner runs first and writes it. The report names the file
     * (path, SHA-256) and gets its winners for the GEMM table, and the file is copied to OUT/tuning/; or the report says
     * that there is none and which rule the tuned kernels run. Null when there is no file.
     */
    private static Path tuning(DeviceCheckReport report, Options o, String d, List<DeviceInfo> listed) throws IOException {
        DeviceInfo info = listed.stream().filter(x -> x.matches(d)).count() == 1 ? DeviceInfo.select(d, listed) : null;
        Path file = o.tuning() != null ? o.tuning() : info == null ? null : TuningFile.defaultPath(TuningFile.DEFAULT_DIR, info.tuningDevice());
        boolean exists = file != null && Files.exists(file);
        boolean usesTuned = o.kinds().contains(DeviceKernels.TUNED) || o.training();
        boolean tune = info != null && (o.tune().on() != null ? o.tune().on() : !exists && usesTuned);
        String how = "found";
        if (info == null && Boolean.TRUE.equals(o.tune().on())) {
            failed(report, d + " tune", new IllegalArgumentException("--tune: TornadoVM lists no device " + d + " to tune"));
        }
        if (tune) {
            System.out.println("== " + d + ": tuning (budget " + o.tune().budget() + " min, models " + String.join(",", o.tune().models()) + ") into " + file);
            try {
                Tuner.run(new Tuner.Options(info.id(), file, o.tune().models(), o.tune().budget(), o.tune().seconds()), System.out);
                how = String.format(Locale.ROOT, "tuned by this run (--tune-budget %s min, --tune-models %s)", o.tune().budget(),
                        String.join(",", o.tune().models()));
            } catch (IOException | RuntimeException ex) {
                failed(report, d + " tune", ex);
            }
        }
        if (file == null || !Files.exists(file)) {
            String rule = info == null ? "the default rule (vector kernels on CPU devices, tiles elsewhere)"
                    : "the default rule, " + TunedKernels.defaultFamily("CPU".equalsIgnoreCase(info.type())).flag() + " kernels where they fit";
            report.tuning(new DeviceCheckReport.Tuning(d, null, null, null, "no tuning file "
                    + (file == null ? "(TornadoVM lists no device " + d + " to name one)" : "(looked for " + file + ")")
                    + ": tuned kernels run " + rule));
            return o.tuning();
        }
        TuningFile t;
        try {
            t = info == null ? TuningFile.read(file) : TuningFile.read(file, info.tuningDevice());
        } catch (IllegalArgumentException ex) {
            failed(report, d + " tuning file", ex);
            return file;
        }
        Path copy = o.out().resolve("tuning").resolve(file.getFileName());
        Files.createDirectories(copy.getParent());
        if (!Files.exists(copy) || !Files.isSameFile(file, copy)) {
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        report.tuning(new DeviceCheckReport.Tuning(d, file, TuningFile.sha256(file), copy, how));
        for (KernelCases.Gemm g : KernelCases.gemms()) {
            KernelVariants.product(g.call()).map(p -> t.shape(KernelCall.describe(g.call().method()), p))
                    .ifPresent(s -> report.fileWinner(d, g.name(), s.winner().toString(), s.winnerGflops()));
        }
        return file;
    }

    /** The engine of the short trainings: java-parallel on every core (device null), or the device's tuned kernels, profiled. */
    public static EngineOptions trainingEngine(String device, Path tuning) {
        int cores = Runtime.getRuntime().availableProcessors();
        return device == null ? new EngineOptions("java-parallel", null, cores, false, "vector", DeviceKernels.TUNED)
                : new EngineOptions("tornado", device, cores, true, "vector", DeviceKernels.TUNED, tuning);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void failed(DeviceCheckReport report, String what, Exception ex) {
        report.note(what + ": failed: " + ex.getMessage());
        System.err.println("device-check: " + what + " failed: " + ex.getMessage());
    }

    private static void measure(DeviceCheckReport report, Engine engine, String device, String kind, boolean checkKernels, double seconds) {
        if (checkKernels) {
            for (DeviceCheck.KernelError e : DeviceCheck.kernelErrors(engine)) {
                if (e.refused() != null) {
                    report.note(device + " " + kind + ": kernel " + e.kernel() + " refused: " + firstLine(e.refused()));
                    System.err.println("device-check: " + device + " " + kind + ": kernel " + e.kernel() + " refused: " + e.refused());
                }
                report.add(new DeviceCheckReport.Figure(device, kind, "kernels", e.kernel(), "max_rel_error", e.maxRelativeError()));
            }
        }
        for (DeviceCheck.GemmRate g : DeviceCheck.gemmRates(engine, seconds)) {
            report.add(new DeviceCheckReport.Figure(device, kind, "gemm", g.kernel(), "gflops", g.gflops()));
            System.out.printf(Locale.ROOT, "  %-45s %8.2f GFLOP/s%n", g.kernel(), g.gflops());
        }
        for (DeviceCheck.StepRate s : DeviceCheck.stepRates(engine, seconds)) {
            report.add(new DeviceCheckReport.Figure(device, kind, "step", s.model(), "samples_per_s", s.samplesPerSecond()));
            System.out.printf(Locale.ROOT, "  training step %-12s %10.1f samples/s%n", s.model(), s.samplesPerSecond());
        }
    }

    /** The short trainings on one engine, each in its own run folder OUT/train/DEVICE/N (a folder holding a run is refused). */
    private static void train(DeviceCheckReport report, Options o, String device, String kind, EngineOptions engine) {
        for (int i = 0; i < TRAININGS.size(); i++) {
            Training job = TRAININGS.get(i);
            Path dir = o.out().resolve("train").resolve(device.replace(':', '-')).resolve(Integer.toString(i));
            System.out.println("== " + device + ": " + job.name());
            RunSummary s;
            try (RunFolder folder = RunFolder.claim(dir, RunFolder.Mode.NEW)) {
                new Experiment(job.config(o.dataDir(), dir, engine), System.console() != null).run();
                s = RunSummary.read(dir);
            } catch (IOException | RuntimeException e) {
                report.note(device + ", " + job.name() + ": no result: " + e.getMessage());
                System.err.println("device-check: " + device + ", " + job.name() + ": " + e.getMessage());
                continue;
            }
            String name = job.name();
            report.add(new DeviceCheckReport.Figure(device, kind, "training", name, "first_epoch_s", s.firstEpochSeconds()));
            report.add(new DeviceCheckReport.Figure(device, kind, "training", name, "mean_epoch_s", s.meanEpochSeconds()));
            report.add(new DeviceCheckReport.Figure(device, kind, "training", name, "test_acc", s.testAccuracy()));
            if (!Double.isNaN(s.kernelSeconds())) {
                report.add(new DeviceCheckReport.Figure(device, kind, "training", name, "kernel_s", s.kernelSeconds()));
                report.add(new DeviceCheckReport.Figure(device, kind, "training", name, "copy_s", s.copyInSeconds() + s.copyOutSeconds()));
            }
        }
    }
}
