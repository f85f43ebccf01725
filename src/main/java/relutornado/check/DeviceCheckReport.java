package relutornado.check;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import relutornado.engine.DeviceKernels;
import relutornado.io.AtomicFiles;

/**
 * What {@code relu-tornado device-check} measured, as figures, and its two views: device-check.csv (one figure per
 * line) and device-check.md (tables per section, java-parallel beside each device and kernel kind).
 */
public final class DeviceCheckReport {
    /** A device's kernel result counts as wrong beyond this (max |device − JVM| / max(1, |JVM|)), as TornadoEngineTest. */
    public static final double TOLERANCE = 1e-4;

    /** One figure: device ("java-parallel" or B:D), device kernels, section, item, metric, value. */
    public record Figure(String device, String kernels, String section, String item, String metric, double value) {
    }

    /**
     * A device's tuning file as device-check used it: the file (null: none), its SHA-256, its copy under OUT/tuning, and
     * how it came to be (found, tuned by this run) or, without a file, that there is none and which rule ran.
     */
    public record Tuning(String device, Path file, String sha256, Path copy, String statement) {
    }

    /** The kernels of a tuning file's figures in device-check.csv (its winner's GFLOP/s per GEMM-shaped kernel). */
    static final String FILE_KERNELS = "file";

    /** The engine and kernels of the reference column. */
    static final String JVM = "java-parallel";
    static final String JVM_KERNELS = "vector";

    private final List<String> deviceLines;
    private final List<String> targets;
    private final List<DeviceKernels> kinds;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Tuning> tunings = new ArrayList<>();
    /** The tuning file's winner (family, parameters, work-group) per device and GEMM item. */
    private final Map<String, String> fileWinners = new HashMap<>();

    /**
     * @param deviceLines TornadoVM's device listing, or why there is none
     * @param targets     the devices checked (B:D)
     * @param kinds       the device kernels checked on each
     */
    DeviceCheckReport(List<String> deviceLines, List<String> targets, List<DeviceKernels> kinds) {
        this.deviceLines = List.copyOf(deviceLines);
        this.targets = List.copyOf(targets);
        this.kinds = List.copyOf(kinds);
    }

    void add(Figure f) {
        figures.add(f);
    }

    void tuning(Tuning t) {
        tunings.add(t);
    }

    /** The device's tuning-file winner for a GEMM-shaped kernel of the table, with its GFLOP/s in the file. */
    void fileWinner(String device, String item, String winner, double gflops) {
        fileWinners.put(device + " | " + item, winner);
        add(new Figure(device, FILE_KERNELS, "gemm", item, "gflops", gflops));
    }

    public List<Tuning> tunings() {
        return List.copyOf(tunings);
    }

    /** A problem the report lists (a device or training that failed). */
    void note(String problem) {
        notes.add(problem);
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Whether some kernel's result on a device is beyond {@link #TOLERANCE} (or not a number). */
    public boolean anyKernelWrong() {
        return figures.stream().anyMatch(f -> f.metric().equals("max_rel_error") && !(f.value() <= TOLERANCE));
    }

    public void writeCsv(Path file) throws IOException {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n")
                    .setHeader("device", "kernels", "section", "item", "metric", "value").build())) {
                for (Figure f : figures) {
                    p.printRecord(f.device(), f.kernels(), f.section(), f.item(), f.metric(), String.format(Locale.ROOT, "%.6g", f.value()));
                }
            }
        });
    }

    /** Writes device-check.md; {@code minutes} is the check's wall time. */
    public void writeMarkdown(Path file, double minutes) throws IOException {
        AtomicFiles.writeString(file, markdown(minutes));
    }

    String markdown(double minutes) {
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
        if (!tunings.isEmpty()) {
            md.append("## Tuning files\n\n");
            for (Tuning t : tunings) {
                md.append("- ").append(t.device()).append(": ");
                if (t.file() == null) {
                    md.append(t.statement());
                } else {
                    md.append('`').append(t.file()).append("` (SHA-256 ").append(t.sha256()).append("), ").append(t.statement())
                            .append("; copy: `").append(t.copy()).append('`');
                }
                md.append('\n');
            }
            md.append('\n');
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
                    // NaN: the device refused the kernel (or never ran it); Problems says why
                    md.append(Double.isNaN(e) ? " refused ✗ |" : String.format(Locale.ROOT, " %.1e%s |", e, e <= TOLERANCE ? "" : " ✗"));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        table(md, "## GEMM-shaped kernels (GFLOP/s)\n\n", "gemm", "gflops", cols, "%.2f");
        table(md, "## One training step, batch " + DeviceCheck.STEP_BATCH + ", softmax head (samples/s)\n\n", "step", "samples_per_s", cols, "%.0f");
        if (!items("step_tasks").isEmpty()) {
            md.append("## Where a training step's device time goes (TornadoVM profiler, kernel time per step, ms)\n\n")
                    .append("Per model and kernel (×calls per step), summed over ").append(DeviceCheckRun.PROFILED_STEPS)
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
                double base = get(JVM, JVM_KERNELS, "training", job, "mean_epoch_s");
                List<String[]> engines = new ArrayList<>();
                engines.add(new String[] {JVM, JVM_KERNELS});
                targets.forEach(d -> engines.add(new String[] {d, DeviceKernels.TUNED.flag()}));
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
        return md.toString();
    }

    private double get(String device, String kind, String section, String item, String metric) {
        return figures.stream().filter(f -> f.device().equals(device) && f.kernels().equals(kind) && f.section().equals(section)
                && f.item().equals(item) && f.metric().equals(metric)).mapToDouble(Figure::value).findFirst().orElse(Double.NaN);
    }

    private List<String> items(String section) {
        return figures.stream().filter(f -> f.section().equals(section)).map(Figure::item).distinct().toList();
    }

    /**
     * A table of one metric: java-parallel, then each device and kernel kind, then tuned ÷ plain per device; for the GEMM
     * table also each device's tuning-file winner ("—": no file, or the file has not this kernel and product).
     */
    private void table(StringBuilder md, String title, String section, String metric, List<String[]> cols, String fmt) {
        if (items(section).isEmpty()) {
            return;
        }
        List<String> ratioDevices = cols.stream().map(c -> c[0]).distinct()
                .filter(d -> cols.stream().filter(c -> c[0].equals(d)).count() == 2).toList();
        List<String> fileDevices = section.equals("gemm") ? targets : List.of();
        md.append(title).append("| | java-parallel |");
        cols.forEach(c -> md.append(' ').append(c[0]).append(' ').append(c[1]).append(" |"));
        ratioDevices.forEach(d -> md.append(' ').append(d).append(" tuned ÷ plain |"));
        fileDevices.forEach(d -> md.append(' ').append(d).append(" tuned (tuning file) |"));
        md.append("\n|---|---:|").append("---:|".repeat(cols.size() + ratioDevices.size())).append("---|".repeat(fileDevices.size())).append('\n');
        for (String item : items(section)) {
            md.append("| ").append(item).append(" | ").append(String.format(Locale.ROOT, fmt, get(JVM, JVM_KERNELS, section, item, metric))).append(" |");
            for (String[] c : cols) {
                md.append(' ').append(String.format(Locale.ROOT, fmt, get(c[0], c[1], section, item, metric))).append(" |");
            }
            for (String d : ratioDevices) {
                md.append(String.format(Locale.ROOT, " %.1f× |", get(d, "tuned", section, item, metric) / get(d, "plain", section, item, metric)));
            }
            for (String d : fileDevices) {
                String w = fileWinners.get(d + " | " + item);
                md.append(w == null ? " — |" : String.format(Locale.ROOT, " %s, " + fmt + " |", w, get(d, FILE_KERNELS, section, item, metric)));
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String opt(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
