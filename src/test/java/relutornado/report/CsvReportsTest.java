package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.metrics.ClassificationReport;
import relutornado.metrics.ConfusionMatrix;

class CsvReportsTest {
    @TempDir
    Path dir;

    /** Header names and records of a CSV file, read back with Commons CSV. */
    record Table(List<String> header, List<List<String>> rows) {
    }

    static Table read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            return new Table(p.getHeaderNames(), p.getRecords().stream().map(CSVRecord::toList).toList());
        }
    }

    static Map<String, Double> extra(double epochSeconds, double valSeconds) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("epoch_seconds", epochSeconds);
        m.put("val_seconds", valSeconds);
        return m;
    }

    @Test
    void foldsWithExtraColumnsAndMissingValidation() throws IOException {
        Path f = dir.resolve("folds.csv");
        CsvReports.writeFolds(f, List.of(
                new EpochRow(1, 1, 0.6931471805599453, 0.5, 0.6, 0.55, 3, extra(1.5, 0.25)),
                new EpochRow(0, 2, 1e-7, 1.0, Double.NaN, Double.NaN, 0, extra(2.0, Double.NaN))));
        Table t = read(f);
        assertEquals(List.of("fold", "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "dead_output_rows",
                "epoch_seconds", "val_seconds"), t.header());
        assertEquals(List.of("1", "1", "0.6931471805599453", "0.500000", "0.6", "0.550000", "3", "1.5", "0.25"), t.rows().get(0));
        // no validation set: empty val_* cells; losses keep their digits
        assertEquals(List.of("0", "2", "1.0E-7", "1.000000", "", "", "0", "2.0", ""), t.rows().get(1));
        assertEquals(1e-7, Double.parseDouble(t.rows().get(1).get(2)));
        assertFalse(Files.readString(f).contains("\r"), "'\\n' record separator");
    }

    @Test
    void foldsWithoutExtraColumns() throws IOException {
        Path f = dir.resolve("folds.csv");
        CsvReports.writeFolds(f, List.of(new EpochRow(2, 3, 0.1, 0.9, 0.2, 0.8, 0, Map.of())));
        Table t = read(f);
        assertEquals(7, t.header().size());
        assertEquals(List.of("2", "3", "0.1", "0.900000", "0.2", "0.800000", "0"), t.rows().get(0));
        CsvReports.writeFolds(f, List.of());
        assertEquals(7, read(f).header().size());
    }

    @Test
    void foldsRefuseRowsWithOtherExtraColumns() {
        List<EpochRow> rows = List.of(new EpochRow(1, 1, 0.1, 0.9, 0.2, 0.8, 0, extra(1, 1)),
                new EpochRow(1, 2, 0.1, 0.9, 0.2, 0.8, 0, Map.of("epoch_seconds", 1.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvReports.writeFolds(dir.resolve("x.csv"), rows));
        assertTrue(e.getMessage().contains("fold 1 epoch 2 has extra columns [epoch_seconds], the first row has "
                + "[epoch_seconds, val_seconds]"), e.getMessage());
    }

    @Test
    void epochRowValidates() {
        assertRefused(() -> new EpochRow(-1, 1, 0, 0, 0, 0, 0, Map.of()), "fold must be >= 0");
        assertRefused(() -> new EpochRow(0, 0, 0, 0, 0, 0, 0, Map.of()), "numbered from 1, got 0");
        assertRefused(() -> new EpochRow(0, 1, 0, 1.5, 0, 0, 0, Map.of()), "train accuracy must be in [0, 1] or NaN, got 1.5");
        assertRefused(() -> new EpochRow(0, 1, 0, 0, 0, 0, -1, Map.of()), "dead output rows");
        assertRefused(() -> new EpochRow(0, 1, 0, 0, 0, 0, 0, null), "use an empty map");
        assertRefused(() -> new EpochRow(0, 1, 0, 0, 0, 0, 0, Map.of("val_acc", 1.0)), "'val_acc' repeats a fixed column");
    }

    @Test
    void metricsOfTheHandComputedExample() throws IOException {
        // the example of ClassificationReportTest: supports 4, 3, 3; accuracy 0.6
        ConfusionMatrix cm = new ConfusionMatrix(new int[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 2}, new int[] {0, 0, 1, 2, 1, 1, 0, 2, 2, 1}, 3);
        Path f = dir.resolve("metrics.csv");
        CsvReports.writeMetrics(f, ClassificationReport.of(cm, List.of("a", "b", "c")));
        Table t = read(f);
        assertEquals(List.of("class", "precision", "recall", "f1", "support"), t.header());
        assertEquals(List.of(
                List.of("a", "0.666667", "0.500000", "0.571429", "4"), // 2/3, 1/2, 4/7
                List.of("b", "0.500000", "0.666667", "0.571429", "3"), // 1/2, 2/3, 4/7
                List.of("c", "0.666667", "0.666667", "0.666667", "3"), // 2/3, 2/3, 2/3
                List.of("accuracy", "", "", "0.600000", "10"),
                List.of("macro avg", "0.611111", "0.611111", "0.603175", "10"), // 11/18, 11/18, 38/63
                List.of("weighted avg", "0.616667", "0.600000", "0.600000", "10")), // 37/60, 0.6, 0.6
                t.rows());
    }

    @Test
    void confusionWithQuotedClassNames() throws IOException {
        ConfusionMatrix cm = new ConfusionMatrix(new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 1}, 3);
        Path f = dir.resolve("confusion.csv");
        List<String> names = List.of("T-shirt/top", "a, \"b\"", "c");
        CsvReports.writeConfusion(f, cm, names);
        Table t = read(f);
        assertEquals(List.of("true\\predicted", "T-shirt/top", "a, \"b\"", "c"), t.header());
        assertEquals(List.of(
                List.of("T-shirt/top", "1", "1", "0"),
                List.of("a, \"b\"", "0", "1", "0"),
                List.of("c", "0", "1", "0")), t.rows());
        assertRefused(() -> {
            try {
                CsvReports.writeConfusion(f, cm, List.of("x"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, "got 1 class names for 3 classes");
    }

    @Test
    void predictions() throws IOException {
        Path f = dir.resolve("predictions.csv");
        CsvReports.writePredictions(f, new int[] {3, 1, 0}, new int[] {3, 2, 0});
        Table t = read(f);
        assertEquals(List.of("index", "label", "predicted"), t.header());
        assertEquals(List.of(List.of("0", "3", "3"), List.of("1", "1", "2"), List.of("2", "0", "0")), t.rows());
        assertEquals("index,label,predicted\n0,3,3\n1,1,2\n2,0,0\n", Files.readString(f));
        assertThrows(IllegalArgumentException.class, () -> CsvReports.writePredictions(f, new int[] {1}, new int[0]));
    }

    static void assertRefused(Runnable r, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
