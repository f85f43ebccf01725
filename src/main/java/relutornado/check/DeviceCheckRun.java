package relutornado.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.engine.DeviceInfo;
import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
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
     */
    public record Options(List<String> devices, List<DeviceKernels> kinds, double seconds, boolean training, Path dataDir, Path out,
                          Path tuning) {
        public Options {
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
        for (String d : targets) {
            for (DeviceKernels k : o.kinds()) {
                System.out.println("== " + d + " " + k + ": kernels against the JVM, GEMM kernels, training steps");
                try (Engine e = Engines.create(new EngineOptions("tornado", d, 1, false, "vector", k, o.tuning()))) {
                    measure(report, e, d, k.flag(), true, o.seconds());
                } catch (RuntimeException ex) {
                    failed(report, d + " " + k, ex);
                }
                // a separate engine with the profiler on, so that its bookkeeping does not enter the timings above
                try (Engine e = Engines.create(new EngineOptions("tornado", d, 1, true, "vector", k, o.tuning()))) {
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
                train(report, o, d, DeviceKernels.TUNED.flag(), trainingEngine(d, o.tuning()));
            }
        }
        return report;
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

    private static void failed(DeviceCheckReport report, String what, RuntimeException ex) {
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
