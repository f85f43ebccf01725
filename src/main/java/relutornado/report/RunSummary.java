package relutornado.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * One finished run in figures, from its folds.csv and result.csv: what {@code compare} and {@code device-check} put
 * beside other runs. Seconds; the profiler figures are NaN for an unprofiled run. {@code stepShare} is the training steps'
 * share of the later epochs' wall time ({@link EpochTime}), NaN for a run recorded without the breakdown.
 */
public record RunSummary(String engine, String deviceKernels, double firstEpochSeconds, double meanEpochSeconds, double kernelSeconds,
                         double copyInSeconds, double copyOutSeconds, double compileSeconds, double testAccuracy, double stepShare) {

    /** The summary of the run in {@code run}, a folder written by {@code train --out}. */
    public static RunSummary read(Path run) throws IOException {
        Path folds = run.resolve("folds.csv");
        if (!Files.isRegularFile(folds)) {
            throw new IllegalArgumentException(run + ": no folds.csv (not a finished 'train --out' folder)");
        }
        PaperTable.Row result = PaperTable.readResult(run.resolve("result.csv"));
        double first = Double.NaN, later = 0, kernel = 0, in = 0, outT = 0, compile = 0;
        int laterCount = 0;
        double laterStep = 0, laterWall = 0;
        boolean profiled = false;
        try (Reader r = Files.newBufferedReader(folds)) {
            for (CSVRecord c : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
                double sec = Double.parseDouble(c.get("epoch_seconds"));
                if (Double.isNaN(first)) {
                    first = sec;
                } else if (Integer.parseInt(c.get("epoch")) > 1) {
                    // each fold and the final training open a new session: its first epoch holds TornadoVM's compilation
                    later += sec;
                    laterCount++;
                    if (c.isMapped(EpochTime.STEP) && !c.get(EpochTime.STEP).isEmpty()) {
                        laterStep += Double.parseDouble(c.get(EpochTime.STEP));
                        laterWall += Double.parseDouble(c.get(EpochTime.WALL));
                    }
                }
                if (c.isMapped("kernel_ns")) {
                    profiled = true;
                    kernel += ns(c.get("kernel_ns"));
                    in += ns(c.get("copy_in_ns"));
                    outT += ns(c.get("copy_out_ns"));
                    compile += ns(c.get("compile_ns"));
                }
            }
        }
        double nan = Double.NaN;
        return new RunSummary(result.engine(), result.deviceKernels(), first, laterCount == 0 ? first : later / laterCount,
                profiled ? kernel : nan, profiled ? in : nan, profiled ? outT : nan, profiled ? compile : nan, result.testAccuracy(),
                laterWall > 0 ? laterStep / laterWall : nan);
    }

    private static double ns(String s) {
        return s.isEmpty() ? 0 : Double.parseDouble(s) / 1e9;
    }
}
