package relutornado.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import relutornado.io.AtomicFiles;
import relutornado.report.MarkdownTable;
import relutornado.report.RunSummary;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare runs of one job on several engines/devices: time per epoch, kernel vs copy time, test accuracy.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "folders written by 'train --out'")
    List<Path> runs;
    @Option(names = "--out", required = true, description = "write OUT.csv and OUT.md")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<RunSummary> rows = new ArrayList<>();
        for (Path run : runs) {
            rows.add(RunSummary.read(run));
        }
        double base = rows.get(0).meanEpochSeconds();
        Path csv = Path.of(out + ".csv");
        AtomicFiles.writeText(csv, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").setHeader("engine",
                    "device_kernels", "first_epoch_s", "mean_epoch_s", "speedup_vs_first_row", "kernel_s", "copy_in_s", "copy_out_s",
                    "compile_s", "test_acc", "step_share").build())) {
                for (RunSummary s : rows) {
                    p.printRecord(s.engine(), s.deviceKernels(), f(s.firstEpochSeconds()), f(s.meanEpochSeconds()),
                            f(base / s.meanEpochSeconds()), f(s.kernelSeconds()), f(s.copyInSeconds()), f(s.copyOutSeconds()),
                            f(s.compileSeconds()), f(s.testAccuracy()), f(s.stepShare()));
                }
            }
        });
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
