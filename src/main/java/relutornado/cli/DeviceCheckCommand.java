package relutornado.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relutornado.check.DeviceCheck;
import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.report.AtomicFiles;

/**
 * {@code relu-tornado device-check}: on each TornadoVM device, every kernel (plain and tuned) against the JVM,
 * GFLOP/s of the GEMM-shaped kernels, samples/s of one training step per model, and a short training with its
 * test accuracy, each beside java-parallel's figure from the same run. Writes device-check.md and
 * device-check.csv (one figure per line) to --out.
 */
@Command(name = "device-check", mixinStandardHelpOptions = true,
        description = "Check and time every TornadoVM device against the JVM; writes OUT/device-check.md and .csv.")
final class DeviceCheckCommand implements Callable<Integer> {
    /** A device's kernel result counts as wrong beyond this (max |device − JVM| / max(1, |JVM|)), as TornadoEngineTest. */
    static final double TOLERANCE = 1e-4;
    /** Training steps per model whose per-task kernel times are summed (after a compiling run). */
    static final int PROFILED_STEPS = 3;

    @Option(names = "--devices", split = ",", description = "TornadoVM devices as BACKEND:DEVICE (default: every device TornadoVM lists)")
    List<String> devices;
    @Option(names = "--device-kernels", split = ",", defaultValue = "plain,tuned",
            description = "device kernels to check and time: any of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<DeviceKernels> kernels;
    @Option(names = "--seconds", defaultValue = "1.0", description = "time per timed figure after its first (compiling) run (default: ${DEFAULT-VALUE})")
    double seconds;
    @Option(names = "--no-training", description = "skip the short trainings")
    boolean noTraining;
    @Option(names = "--data-dir", defaultValue = "${env:RELU_TORNADO_DATA:-data}", description = "data folder (default: ${DEFAULT-VALUE})")
    Path dataDir;
    @Option(names = "--out", defaultValue = "runs/device-check", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    /** The short trainings: name, train flags. */
    static final Map<String, List<String>> JOBS = new LinkedHashMap<>();

    static {
        JOBS.put("MNIST FFNN-softmax, 3 epochs, 10,000 rows", List.of("--dataset", "mnist", "--model", "ffnn", "--head", "softmax",
                "--epochs", "3", "--limit", "10000"));
        JOBS.put("MNIST FFNN-ReLU, 3 epochs, 10,000 rows", List.of("--dataset", "mnist", "--model", "ffnn", "--head", "relu",
                "--epochs", "3", "--limit", "10000"));
        JOBS.put("MNIST pixels CNN-softmax, 1 epoch, 10,000 rows", List.of("--dataset", "mnist", "--model", "cnn", "--input", "pixels",
                "--head", "softmax", "--epochs", "1", "--limit", "10000"));
    }

    /** One figure: device ("java-parallel" or B:D), device kernels, section, item, metric, value. */
    record Figure(String device, String kernels, String section, String item, String metric, double value) {
    }

    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (seconds <= 0) {
            throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
        }
        List<DeviceKernels> kinds = kernels.stream().distinct().toList();
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        List<String> deviceLines = Engines.tornadoDevices();
        System.out.println("TornadoVM devices:\n  " + String.join("\n  ", deviceLines));
        List<String> targets = devices != null ? devices : Engines.tornadoAvailable() ? deviceLines.stream()
                .filter(l -> l.matches("\\d+:\\d+ .*")).map(l -> l.substring(0, l.indexOf(' '))).toList() : List.of();
        for (String d : targets) {
            // validates the B:D form before anything runs
            new EngineOptions("tornado", d, 1, false, "vector", DeviceKernels.TUNED);
        }
        int cores = Runtime.getRuntime().availableProcessors();

        System.out.println("== java-parallel (" + cores + " threads): GEMM kernels, training steps");
        try (Engine jp = Engines.create(new EngineOptions("java-parallel", null, cores, false, "vector", DeviceKernels.TUNED))) {
            measure(jp, "java-parallel", "vector", false);
        }
        for (String d : targets) {
            for (DeviceKernels k : kinds) {
                System.out.println("== " + d + " " + k + ": kernels against the JVM, GEMM kernels, training steps");
                try (Engine e = Engines.create(new EngineOptions("tornado", d, 1, false, "vector", k))) {
                    measure(e, d, k.flag(), true);
                } catch (RuntimeException ex) {
                    notes.add(d + " " + k + ": failed: " + ex.getMessage());
                    System.err.println("device-check: " + d + " " + k + " failed: " + ex.getMessage());
                }
                // a separate engine with the profiler on, so that its bookkeeping does not enter the timings above
                try (Engine e = Engines.create(new EngineOptions("tornado", d, 1, true, "vector", k))) {
                    for (DeviceCheck.TaskTime t : DeviceCheck.stepProfile(e, k == DeviceKernels.TUNED, PROFILED_STEPS)) {
                        figures.add(new Figure(d, k.flag(), "step_tasks", t.model() + " | " + t.kernel() + " ×" + t.calls(), "ms_per_step",
                                t.msPerStep()));
                    }
                } catch (RuntimeException ex) {
                    notes.add(d + " " + k + ": failed: " + ex.getMessage());
                    System.err.println("device-check: " + d + " " + k + " failed: " + ex.getMessage());
                }
            }
        }
        if (!noTraining) {
            train("java-parallel", List.of("--engine", "java-parallel"));
            for (String d : targets) {
                train(d, List.of("--engine", "tornado", "--device", d, "--device-kernels", "tuned", "--profile"));
            }
        }
        double minutes = (System.nanoTime() - t0) / 6e10;
        writeCsv(out.resolve("device-check.csv"));
        writeMarkdown(out.resolve("device-check.md"), deviceLines, targets, kinds, minutes);
        System.out.printf(Locale.ROOT, "device-check: %.1f min; wrote %s and %s%n", minutes, out.resolve("device-check.md"),
                out.resolve("device-check.csv"));
        return figures.stream().anyMatch(f -> f.metric().equals("max_rel_error") && !(f.value() <= TOLERANCE)) ? 1 : 0;
    }

    private void measure(Engine engine, String device, String kind, boolean checkKernels) {
        if (checkKernels) {
            for (DeviceCheck.KernelError e : DeviceCheck.kernelErrors(engine)) {
                figures.add(new Figure(device, kind, "kernels", e.kernel(), "max_rel_error", e.maxRelativeError()));
            }
        }
        for (DeviceCheck.GemmRate g : DeviceCheck.gemmRates(engine, seconds)) {
            figures.add(new Figure(device, kind, "gemm", g.kernel(), "gflops", g.gflops()));
            System.out.printf(Locale.ROOT, "  %-45s %8.2f GFLOP/s%n", g.kernel(), g.gflops());
        }
        for (DeviceCheck.StepRate s : DeviceCheck.stepRates(engine, seconds)) {
            figures.add(new Figure(device, kind, "step", s.model(), "samples_per_s", s.samplesPerSecond()));
            System.out.printf(Locale.ROOT, "  training step %-12s %10.1f samples/s%n", s.model(), s.samplesPerSecond());
        }
    }

    private void train(String device, List<String> engineFlags) {
        for (var job : JOBS.entrySet()) {
            Path dir = out.resolve("train").resolve(device.replace(':', '-')).resolve(Integer.toString(new ArrayList<>(JOBS.keySet()).indexOf(job.getKey())));
            List<String> args = new ArrayList<>(List.of("train", "--folds", "1", "--protocol", "paper", "--data-dir", dataDir.toString(),
                    "--out", dir.toString()));
            args.addAll(job.getValue());
            args.addAll(engineFlags);
            System.out.println("== " + device + ": " + job.getKey());
            int rc = Main.run(args.toArray(new String[0]));
            if (rc != 0) {
                notes.add(device + ", " + job.getKey() + ": train exited with " + rc);
                continue;
            }
            try {
                CompareCommand.Summary s = CompareCommand.summarise(dir);
                String kind = device.equals("java-parallel") ? "vector" : "tuned";
                figures.add(new Figure(device, kind, "training", job.getKey(), "first_epoch_s", s.firstEpochSeconds()));
                figures.add(new Figure(device, kind, "training", job.getKey(), "mean_epoch_s", s.meanEpochSeconds()));
                figures.add(new Figure(device, kind, "training", job.getKey(), "test_acc", s.testAccuracy()));
                if (!Double.isNaN(s.kernelSeconds())) {
                    figures.add(new Figure(device, kind, "training", job.getKey(), "kernel_s", s.kernelSeconds()));
                    figures.add(new Figure(device, kind, "training", job.getKey(), "copy_s", s.copyInSeconds() + s.copyOutSeconds()));
                }
            } catch (IOException | RuntimeException e) {
                notes.add(device + ", " + job.getKey() + ": no result: " + e.getMessage());
            }
        }
    }

    private void writeCsv(Path file) throws IOException {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n")
                    .setHeader("device", "kernels", "section", "item", "metric", "value").build())) {
                for (Figure f : figures) {
                    p.printRecord(f.device(), f.kernels(), f.section(), f.item(), f.metric(), String.format(Locale.ROOT, "%.6g", f.value()));
                }
            }
        });
    }

    private double get(String device, String kind, String section, String item, String metric) {
        return figures.stream().filter(f -> f.device().equals(device) && f.kernels().equals(kind) && f.section().equals(section)
                && f.item().equals(item) && f.metric().equals(metric)).mapToDouble(Figure::value).findFirst().orElse(Double.NaN);
    }

    private List<String> items(String section) {
        return figures.stream().filter(f -> f.section().equals(section)).map(Figure::item).distinct().toList();
    }

    private void writeMarkdown(Path file, List<String> deviceLines, List<String> targets, List<DeviceKernels> kinds, double minutes)
            throws IOException {
        StringBuilder md = new StringBuilder("# Device check\n\n");
        md.append(String.format(Locale.ROOT, "%s, %.1f min. JVM: %s %s, %d cores. Figures are from one run; compare only within it.%n%n",
                Instant.now().toString().substring(0, 19) + "Z", minutes, System.getProperty("java.vm.name"), Runtime.version(),
                Runtime.getRuntime().availableProcessors()));
        md.append("TornadoVM devices:\n\n```\n").append(String.join("\n", deviceLines)).append("\n```\n\n");
        List<String[]> cols = new ArrayList<>();
        for (String d : targets) {
            for (DeviceKernels k : kinds) {
                cols.add(new String[] {d, k.flag()});
            }
        }
        if (!items("kernels").isEmpty()) {
            md.append("## Kernels against the JVM\n\nMax over outputs of |device − JVM| / max(1, |JVM|); above ")
                    .append(String.format(Locale.ROOT, "%.0e", TOLERANCE)).append(" is marked ✗. Odd shapes, batch 1, sub-ranges.\n\n| kernel |");
            cols.forEach(c -> md.append(' ').append(c[0]).append(' ').append(c[1]).append(" |"));
            md.append("\n|---|").append("---:|".repeat(cols.size())).append('\n');
            for (String item : items("kernels")) {
                md.append("| ").append(item).append(" |");
                for (String[] c : cols) {
                    double e = get(c[0], c[1], "kernels", item, "max_rel_error");
                    md.append(String.format(Locale.ROOT, " %.1e%s |", e, e <= TOLERANCE ? "" : " ✗"));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        table(md, "## GEMM-shaped kernels (GFLOP/s)\n\n", "gemm", "gflops", cols, "%.2f");
        table(md, "## One training step, batch " + DeviceCheck.STEP_BATCH + ", softmax head (samples/s)\n\n", "step", "samples_per_s", cols, "%.0f");
        if (!items("step_tasks").isEmpty()) {
            md.append("## Where a training step's device time goes (TornadoVM profiler, kernel time per step, ms)\n\n")
                    .append("Per model and kernel (×calls per step), summed over ").append(PROFILED_STEPS)
                    .append(" steps after a compiling one; the rest of a step is launches, copies of the batch and host work.\n\n");
            for (String[] c : cols) {
                md.append("**").append(c[0]).append(' ').append(c[1]).append("**\n\n| model | kernel | ms per step | share |\n|---|---|---:|---:|\n");
                for (String model : DeviceCheck.MODELS) {
                    List<Figure> rows = figures.stream().filter(f -> f.device().equals(c[0]) && f.kernels().equals(c[1])
                            && f.section().equals("step_tasks") && f.item().startsWith(model + " | ")).toList();
                    double total = rows.stream().mapToDouble(Figure::value).sum();
                    for (Figure f : rows) {
                        md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.0f %% |%n", model, f.item().substring(model.length() + 3),
                                f.value(), 100 * f.value() / total));
                    }
                    if (!rows.isEmpty()) {
                        md.append(String.format(Locale.ROOT, "| %s | **all kernels** | **%.3f** | |%n", model, total));
                    }
                }
                md.append('\n');
            }
        }
        if (!items("training").isEmpty()) {
            md.append("## Short training (one 90/10 split, then the test set; device kernels tuned)\n\n")
                    .append("| job | engine | first epoch (s, with JIT) | mean later epoch (s) | speed vs java-parallel | kernel (s) | copies (s) | test acc % |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (String job : items("training")) {
                double base = get("java-parallel", "vector", "training", job, "mean_epoch_s");
                List<String[]> engines = new ArrayList<>();
                engines.add(new String[] {"java-parallel", "vector"});
                targets.forEach(d -> engines.add(new String[] {d, "tuned"}));
                for (String[] e : engines) {
                    double mean = get(e[0], e[1], "training", job, "mean_epoch_s");
                    if (Double.isNaN(mean)) {
                        continue;
                    }
                    md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.3f | %.2f× | %s | %s | %.2f |%n", job, e[0],
                            get(e[0], e[1], "training", job, "first_epoch_s"), mean, base / mean,
                            opt(get(e[0], e[1], "training", job, "kernel_s")), opt(get(e[0], e[1], "training", job, "copy_s")),
                            100 * get(e[0], e[1], "training", job, "test_acc")));
                }
            }
            md.append("\nSpeed vs java-parallel: java-parallel's epoch time over this engine's (above 1×: faster). "
                    + "A one-epoch job has no later epoch: its figure is the first epoch, JIT included.\n\n");
        }
        if (!notes.isEmpty()) {
            md.append("## Problems\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        AtomicFiles.writeString(file, md.toString());
    }

    /** A table of one metric: java-parallel, then each device and kernel kind, then tuned ÷ plain per device. */
    private void table(StringBuilder md, String title, String section, String metric, List<String[]> cols, String fmt) {
        if (items(section).isEmpty()) {
            return;
        }
        List<String> ratioDevices = cols.stream().map(c -> c[0]).distinct()
                .filter(d -> cols.stream().filter(c -> c[0].equals(d)).count() == 2).toList();
        md.append(title).append("| | java-parallel |");
        cols.forEach(c -> md.append(' ').append(c[0]).append(' ').append(c[1]).append(" |"));
        ratioDevices.forEach(d -> md.append(' ').append(d).append(" tuned ÷ plain |"));
        md.append("\n|---|---:|").append("---:|".repeat(cols.size() + ratioDevices.size())).append('\n');
        for (String item : items(section)) {
            md.append("| ").append(item).append(" | ").append(String.format(Locale.ROOT, fmt, get("java-parallel", "vector", section, item, metric))).append(" |");
            for (String[] c : cols) {
                md.append(' ').append(String.format(Locale.ROOT, fmt, get(c[0], c[1], section, item, metric))).append(" |");
            }
            for (String d : ratioDevices) {
                md.append(String.format(Locale.ROOT, " %.1f× |", get(d, "tuned", section, item, metric) / get(d, "plain", section, item, metric)));
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String opt(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
