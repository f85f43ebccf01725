package relutornado.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import relutornado.io.AtomicFiles;
import relutornado.metrics.Stats;
import relutornado.report.MarkdownTable;
import relutornado.report.RunSummary;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare runs of one job on several engines/devices: time per epoch, kernel vs copy time, test accuracy.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "folders written by 'train --out'")
    List<Path> runs;
    @Option(names = "--out", required = true, description = "write OUT.csv and OUT.md")
    Path out;
    @Option(names = "--rounds", defaultValue = "1", description = "the runs are this many rounds of the same devices in the same order "
            + "(as compare-devices.sh --rounds writes them): each run is set against the first device's run of its round, and the "
            + "table gives each device's median and range over the rounds (default: 1)")
    int rounds;

    @Override
    public Integer call() throws IOException {
        if (rounds < 1 || runs.size() % rounds != 0) {
            throw new IllegalArgumentException("--rounds must be >= 1 and divide the " + runs.size() + " run folders, got " + rounds);
        }
        int devices = runs.size() / rounds;
        List<RunSummary> rows = new ArrayList<>();
        for (Path run : runs) {
            rows.add(RunSummary.read(run));
        }
        // run i is device i % devices of round i / devices, set against that round's first run
        double[] speedup = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            speedup[i] = rows.get(i / devices * devices).meanEpochSeconds() / rows.get(i).meanEpochSeconds();
        }
        Path csv = Path.of(out + ".csv");
        AtomicFiles.writeText(csv, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").setHeader("engine",
                    "device_kernels", "first_epoch_s", "mean_epoch_s", "speedup_vs_first_row", "kernel_s", "copy_in_s", "copy_out_s",
                    "compile_s", "test_acc", "step_share", "round").build())) {
                for (int i = 0; i < rows.size(); i++) {
                    RunSummary s = rows.get(i);
                    p.printRecord(s.engine(), s.deviceKernels(), f(s.firstEpochSeconds()), f(s.meanEpochSeconds()),
                            f(speedup[i]), f(s.kernelSeconds()), f(s.copyInSeconds()), f(s.copyOutSeconds()),
                            f(s.compileSeconds()), f(s.testAccuracy()), f(s.stepShare()), i / devices + 1);
                }
            }
        });
        if (rounds > 1) {
            AtomicFiles.writeString(Path.of(out + ".md"), roundsTable(rows, speedup, devices).toString());
            System.out.println("wrote " + csv + " and " + out + ".md");
            return 0;
        }
        double base = rows.get(0).meanEpochSeconds();
        MarkdownTable md = new MarkdownTable("engine / device", "device kernels", "first epoch (s)", "mean later epoch (s)",
                "speed-up vs " + rows.get(0).engine(), "kernel (s)", "copy in (s)", "copy out (s)", "compile (s)", "kernel share",
                "steps % of epoch", "test acc %");
        for (RunSummary s : rows) {
            double device = s.kernelSeconds() + s.copyInSeconds() + s.copyOutSeconds();
            md.row(s.engine(), s.deviceKernels().isEmpty() ? "–" : s.deviceKernels(), fmt("%.2f", s.firstEpochSeconds()),
                    fmt("%.3f", s.meanEpochSeconds()), fmt("%.2f×", base / s.meanEpochSeconds()), opt(s.kernelSeconds()),
                    opt(s.copyInSeconds()), opt(s.copyOutSeconds()), opt(s.compileSeconds()),
                    Double.isNaN(device) || device == 0 ? "–" : fmt("%.0f %%", 100 * s.kernelSeconds() / device),
                    Double.isNaN(s.stepShare()) ? "–" : fmt("%.0f %%", 100 * s.stepShare()), fmt("%.2f", 100 * s.testAccuracy()));
        }
        AtomicFiles.writeString(Path.of(out + ".md"), md.toString());
        System.out.println("wrote " + csv + " and " + out + ".md");
        return 0;
    }

    /** One row a device: its later epoch and its speed-up against the round's first run, median [min – max] over the rounds. */
    private MarkdownTable roundsTable(List<RunSummary> rows, double[] speedup, int devices) {
        MarkdownTable md = new MarkdownTable("engine / device", "device kernels", "rounds", "mean later epoch (s), median [min – max]",
                "speed-up vs " + rows.get(0).engine() + " in the same round, median [min – max]", "test acc %, median");
        for (int d = 0; d < devices; d++) {
            double[] epoch = new double[rounds], ratio = new double[rounds], acc = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                RunSummary s = rows.get(r * devices + d);
                epoch[r] = s.meanEpochSeconds();
                ratio[r] = speedup[r * devices + d];
                acc[r] = s.testAccuracy();
            }
            RunSummary s = rows.get(d);
            md.row(s.engine(), s.deviceKernels().isEmpty() ? "–" : s.deviceKernels(), rounds, spread("%.3f", epoch), spread("%.2f×", ratio),
                    fmt("%.2f", 100 * Stats.median(acc)));
        }
        return md;
    }

    private static String spread(String format, double[] v) {
        DoubleSummaryStatistics range = Arrays.stream(v).summaryStatistics();
        return fmt(format, Stats.median(v)) + " [" + fmt(format, range.getMin()) + " – " + fmt(format, range.getMax()) + "]";
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String opt(double v) {
        return Double.isNaN(v) ? "–" : fmt("%.3f", v);
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
