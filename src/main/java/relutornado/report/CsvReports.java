package relutornado.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import relutornado.io.AtomicFiles;
import relutornado.metrics.ClassificationReport;
import relutornado.metrics.ConfusionMatrix;

/**
 * The CSV files of a run (RFC 4180 via Commons CSV, header row, '\n' line ends, UTF-8). Rates
 * (accuracy, precision, recall, F1) are written with 6 decimals, counts as integers, losses and
 * extra values in Java's shortest round-trip form; NaN is an empty cell (pandas reads it as NaN).
 * Each file appears complete or not at all ({@link AtomicFiles}).
 */
public final class CsvReports {
    private CsvReports() {
    }

    /**
     * folds.csv: fold, epoch, train_loss, train_acc, val_loss, val_acc, dead_output_rows, then one
     * column per key of the first row's {@code extra}, in its order; every row must have the same keys.
     */
    public static void writeFolds(Path file, List<EpochRow> rows) throws IOException {
        List<String> extraKeys = rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).extra().keySet());
        for (EpochRow row : rows) {
            if (!row.extra().keySet().equals(rows.get(0).extra().keySet())) {
                throw new IllegalArgumentException("fold " + row.fold() + " epoch " + row.epoch() + " has extra columns "
                        + row.extra().keySet() + ", the first row has " + extraKeys);
            }
        }
        List<String> header = new ArrayList<>(List.of("fold", "epoch", "train_loss", "train_acc", "val_loss", "val_acc",
                "dead_output_rows"));
        header.addAll(extraKeys);
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = printer(w, header)) {
                for (EpochRow r : rows) {
                    List<Object> cells = new ArrayList<>(List.of(r.fold(), r.epoch(), real(r.trainLoss()), rate(r.trainAcc()),
                            real(r.valLoss()), rate(r.valAcc()), r.deadOutputRows()));
                    for (String key : extraKeys) {
                        cells.add(real(r.extra().get(key)));
                    }
                    p.printRecord(cells);
                }
            }
        });
    }

    /** Reads folds.csv back (empty cells → NaN); columns after the fixed ones become each row's {@code extra}, in order. */
    public static List<EpochRow> readFolds(Path file) throws IOException {
        try (java.io.Reader in = Files.newBufferedReader(file)) {
            org.apache.commons.csv.CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
            List<String> header = parser.getHeaderNames();
            List<EpochRow> rows = new ArrayList<>();
            for (org.apache.commons.csv.CSVRecord c : parser) {
                try {
                    Map<String, Double> extra = new java.util.LinkedHashMap<>();
                    for (String h : header) {
                        if (!EpochRow.COLUMNS.contains(h)) {
                            extra.put(h, number(c.get(h)));
                        }
                    }
                    rows.add(new EpochRow(Integer.parseInt(c.get("fold")), Integer.parseInt(c.get("epoch")), number(c.get("train_loss")),
                            number(c.get("train_acc")), number(c.get("val_loss")), number(c.get("val_acc")),
                            Long.parseLong(c.get("dead_output_rows")), extra));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new IllegalArgumentException(file + " line " + c.getRecordNumber() + ": " + e.getMessage(), e);
                }
            }
            return rows;
        }
    }

    /** A confusion matrix read back from confusion.csv: class names and counts (rows true, columns predicted). */
    public record Confusion(List<String> classes, int[][] counts) {
    }

    public static Confusion readConfusion(Path file) throws IOException {
        try (java.io.Reader in = Files.newBufferedReader(file)) {
            org.apache.commons.csv.CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in);
            List<String> classes = parser.getHeaderNames().subList(1, parser.getHeaderNames().size());
            List<int[]> counts = new ArrayList<>();
            for (org.apache.commons.csv.CSVRecord c : parser) {
                if (c.size() != classes.size() + 1) {
                    throw new IllegalArgumentException(file + " line " + c.getRecordNumber() + ": " + c.size() + " cells, expected "
                            + (classes.size() + 1));
                }
                int[] row = new int[classes.size()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = Integer.parseInt(c.get(j + 1));
                }
                counts.add(row);
            }
            if (counts.size() != classes.size()) {
                throw new IllegalArgumentException(file + ": " + counts.size() + " rows for " + classes.size() + " classes");
            }
            return new Confusion(List.copyOf(classes), counts.toArray(int[][]::new));
        }
    }

    private static double number(String cell) {
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }

    /**
     * metrics.csv in the layout of sklearn's classification_report text: class, precision, recall,
     * f1, support per class; then "accuracy" with the accuracy in the f1 column, the total in
     * support and the other cells empty; then "macro avg" and "weighted avg".
     */
    public static void writeMetrics(Path file, ClassificationReport r) throws IOException {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = printer(w, List.of("class", "precision", "recall", "f1", "support"))) {
                for (ClassificationReport.ClassMetrics m : r.perClass()) {
                    p.printRecord(m.name(), rate(m.precision()), rate(m.recall()), rate(m.f1()), m.support());
                }
                p.printRecord("accuracy", "", "", rate(r.accuracy()), r.weightedAvg().support());
                printAverages(p, "macro avg", r.macroAvg());
                printAverages(p, "weighted avg", r.weightedAvg());
            }
        });
    }

    private static void printAverages(CSVPrinter p, String label, ClassificationReport.Averages a) throws IOException {
        p.printRecord(label, rate(a.precision()), rate(a.recall()), rate(a.f1()), a.support());
    }

    /** confusion.csv: header {@code true\predicted} and the class names; one row of counts per true class. */
    public static void writeConfusion(Path file, ConfusionMatrix cm, List<String> classNames) throws IOException {
        if (classNames.size() != cm.classes()) {
            throw new IllegalArgumentException("got " + classNames.size() + " class names for " + cm.classes() + " classes");
        }
        List<String> header = new ArrayList<>();
        header.add("true\\predicted");
        header.addAll(classNames);
        int[][] counts = cm.counts();
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = printer(w, header)) {
                for (int t = 0; t < counts.length; t++) {
                    List<Object> cells = new ArrayList<>();
                    cells.add(classNames.get(t));
                    for (int n : counts[t]) {
                        cells.add(n);
                    }
                    p.printRecord(cells);
                }
            }
        });
    }

    /** predictions.csv: index, label, predicted, one row per test sample. */
    public static void writePredictions(Path file, int[] labels, int[] predicted) throws IOException {
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException("labels and predicted differ in length: " + labels.length + " vs "
                    + predicted.length);
        }
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = printer(w, List.of("index", "label", "predicted"))) {
                for (int i = 0; i < labels.length; i++) {
                    p.printRecord(i, labels[i], predicted[i]);
                }
            }
        });
    }

    private static CSVPrinter printer(Writer w, List<String> header) throws IOException {
        return new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator("\n").build());
    }

    /** A rate in [0, 1] with 6 decimals; NaN → empty. */
    static String rate(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** Any real (loss, seconds, counters) in its shortest round-trip form; NaN or null → empty. */
    static String real(Double v) {
        return v == null || v.isNaN() ? "" : v.toString();
    }
}
