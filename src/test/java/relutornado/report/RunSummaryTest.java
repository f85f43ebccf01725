package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.model.Head;
import relutornado.model.ModelKind;

/** compare's and device-check's figures of a run folder, on a hand-made folds.csv and result.csv. */
class RunSummaryTest {
    @TempDir
    Path tmp;

    private static EpochRow epoch(int fold, int epoch, double seconds, Double kernelNs) {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("epoch_seconds", seconds);
        if (kernelNs != null) {
            extra.put("kernel_ns", kernelNs);
            extra.put("copy_in_ns", 1e9);
            extra.put("copy_out_ns", 2e9);
            extra.put("compile_ns", 0.5e9);
        }
        return new EpochRow(fold, epoch, 0.5, 0.8, 0.6, 0.7, 0, extra);
    }

    private void result() throws IOException {
        Files.writeString(tmp.resolve("result.csv"), PaperTable.resultCsv(new PaperTable.Row(DatasetName.WDBC, ModelKind.FFNN, Head.RELU,
                Protocol.PAPER, "features", 0.9, 0.01, 0.93, 0.9, 0.9, 0.9, 455, 3, 2, "tornado 0:0", "tuned", 12)));
    }

    @Test
    void laterEpochsAverageWithoutEachSessionsFirstAndProfilerFiguresSum() throws IOException {
        // two folds of three epochs: each fold's epoch 1 holds its compilation and stays out of the mean
        CsvReports.writeFolds(tmp.resolve("folds.csv"), List.of(epoch(1, 1, 9, 4e9), epoch(1, 2, 2, 1e9), epoch(1, 3, 4, 1e9),
                epoch(2, 1, 8, 4e9), epoch(2, 2, 3, 1e9), epoch(2, 3, 5, 1e9)));
        result();
        RunSummary s = RunSummary.read(tmp);
        assertEquals("tornado 0:0", s.engine());
        assertEquals("tuned", s.deviceKernels());
        assertEquals(9, s.firstEpochSeconds());
        assertEquals(3.5, s.meanEpochSeconds(), 1e-12, "(2 + 4 + 3 + 5) / 4");
        assertEquals(12, s.kernelSeconds(), 1e-9);
        assertEquals(6, s.copyInSeconds(), 1e-9);
        assertEquals(12, s.copyOutSeconds(), 1e-9);
        assertEquals(3, s.compileSeconds(), 1e-9);
        assertEquals(0.93, s.testAccuracy(), 1e-12);
    }

    @Test
    void theStepShareIsTheLaterEpochsStepTimeOverTheirWallTime() throws IOException {
        // epoch 1 (compilation) stays out: (1 + 3) s of steps in (2 + 6) s of later epochs
        CsvReports.writeFolds(tmp.resolve("folds.csv"), List.of(
                epoch(1, 1, 9, null).withExtra(EpochTime.of(9_000_000_000L, 1_000_000_000L, 0, 0, 0, 0, 10).columns()),
                epoch(1, 2, 2, null).withExtra(EpochTime.of(2_000_000_000L, 1_000_000_000L, 0, 0, 0, 0, 10).columns()),
                epoch(1, 3, 6, null).withExtra(EpochTime.of(6_000_000_000L, 3_000_000_000L, 0, 0, 0, 0, 10).columns())));
        result();
        assertEquals(0.5, RunSummary.read(tmp).stepShare(), 1e-12);
    }

    @Test
    void oneEpochUnprofiledRunHasItsFirstEpochAsMeanAndNoProfilerFigures() throws IOException {
        CsvReports.writeFolds(tmp.resolve("folds.csv"), List.of(epoch(1, 1, 7, null)));
        result();
        RunSummary s = RunSummary.read(tmp);
        assertEquals(7, s.meanEpochSeconds());
        assertTrue(Double.isNaN(s.kernelSeconds()) && Double.isNaN(s.copyInSeconds()) && Double.isNaN(s.compileSeconds()));
        assertTrue(Double.isNaN(s.stepShare()), "no breakdown recorded");
    }

    @Test
    void aFolderWithoutFoldsCsvIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunSummary.read(tmp));
        assertTrue(e.getMessage().contains("no folds.csv"), e.getMessage());
    }
}
