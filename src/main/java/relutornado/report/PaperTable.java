package relutornado.report;

import static relutornado.data.DatasetName.FASHION;
import static relutornado.data.DatasetName.MNIST;
import static relutornado.data.DatasetName.WDBC;
import static relutornado.model.Head.RELU;
import static relutornado.model.Head.SOFTMAX;
import static relutornado.model.ModelKind.CNN;
import static relutornado.model.ModelKind.FFNN;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.metrics.ClassificationReport;
import relutornado.model.Head;
import relutornado.model.ModelKind;

/**
 * The paper's results table (Agarap 2018, tables 2-7) beside ours. Every run writes a one-row
 * {@code result.csv}; {@code relu-tornado table} collects them.
 */
public final class PaperTable {

    /** One row of a results table. Accuracies are fractions; P/R/F1 are support-weighted averages. */
    public record Row(DatasetName dataset, ModelKind model, Head head, Protocol protocol, String preprocessing, double cvMean, double cvStd,
                      double testAccuracy, double precision, double recall, double f1, int trainRows, int epochs,
                      int folds, String engine, String deviceKernels, double seconds) {

        /** A run's row; the engine is its name and --device index ("tornado 0:1"); deviceKernels its --device-kernels. */
        public static Row of(RunReport r) {
            RunReport.Settings s = r.settings();
            RunReport.EngineInfo e = r.engine();
            ClassificationReport.Averages w = r.results().weightedAvg();
            return new Row(s.dataset(), s.model(), s.head(), s.protocol(), inputLabel(r), r.results().cvAccuracyMean(),
                    r.results().cvAccuracyStd(), r.results().testAccuracy(), w.precision(), w.recall(), w.f1(), r.data().trainRows(),
                    s.epochs(), s.folds(), e.name() + (e.deviceIndex() == null ? "" : " " + e.deviceIndex()),
                    e.deviceKernels() == null ? "" : e.deviceKernels().flag(), r.timings().totalSeconds());
        }
    }

    /**
     * How the inputs were prepared: raw, standardised, standardised+pca256, pixels/255; the CNN's image shape
     * after it ("standardised+pca256 16x16").
     */
    static String inputLabel(RunReport r) {
        RunReport.Preprocessing p = r.data().preprocessing();
        String label = r.pixels() ? "pixels/255" : p.standardScaler() != null ? "standardised" : "raw";
        if (p.pcaComponents() != null) {
            label += "+pca" + p.pcaComponents();
        }
        int[] shape = r.settings().inputShape();
        return shape.length == 3 ? label + " " + shape[1] + "x" + shape[2] : label;
    }

    /** The paper's numbers, keyed by dataset/model/head; cvStd NaN where the paper gives none. */
    public record Paper(DatasetName dataset, ModelKind model, Head head, double cvMean, double cvStd, double testAccuracy,
                        double precision, double recall, double f1, String note) {
        boolean matches(Row r) {
            return dataset == r.dataset() && model == r.model() && head == r.head();
        }
    }

    public static final List<Paper> PAPER = List.of(
            new Paper(MNIST, FFNN, SOFTMAX, .9929, .0067, .9798, .98, .98, .98, ""),
            new Paper(MNIST, FFNN, RELU, .9822, .0126, .9777, .98, .98, .98, ""),
            new Paper(MNIST, CNN, SOFTMAX, .9723, .0118, .9536, .95, .95, .95, ""),
            new Paper(MNIST, CNN, RELU, .7353, .1908, .9174, .92, .92, .92, ""),
            new Paper(FASHION, FFNN, SOFTMAX, .9887, Double.NaN, .8935, .89, .89, .89,
                    "the author's notebook prints 97.87 ± 2.96"),
            new Paper(FASHION, FFNN, RELU, .9223, .0326, .8906, .89, .89, .89, ""),
            new Paper(FASHION, CNN, SOFTMAX, .9196, .0255, .8608, .86, .86, .86, ""),
            new Paper(FASHION, CNN, RELU, .8324, .0433, .8584, .86, .86, .86, ""),
            new Paper(WDBC, FFNN, SOFTMAX, .9121, .0422, .9240, .92, .92, .92, ""),
            new Paper(WDBC, FFNN, RELU, .8796, .0991, .9064, .91, .91, .90, ""));

    private static final String[] HEADER = {"dataset", "model", "head", "protocol", "preprocessing", "cv_acc_mean", "cv_acc_std", "test_acc",
        "precision", "recall", "f1", "train_rows", "epochs", "folds", "engine", "device_kernels", "seconds"};

    private PaperTable() {
    }

    /** result.csv: the header and one row. */
    public static String resultCsv(Row r) throws IOException {
        StringBuilder w = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER).setRecordSeparator("\n").build())) {
            p.printRecord(r.dataset(), r.model(), r.head(), r.protocol(), r.preprocessing(), fmt(r.cvMean()), fmt(r.cvStd()), fmt(r.testAccuracy()),
                    fmt(r.precision()), fmt(r.recall()), fmt(r.f1()), r.trainRows(), r.epochs(), r.folds(), r.engine(), r.deviceKernels(),
                    String.format(Locale.ROOT, "%.1f", r.seconds()));
        }
        return w.toString();
    }

    public static Row readResult(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
            if (records.size() != 1) {
                throw new IllegalArgumentException(file + ": expected one result row, found " + records.size());
            }
            CSVRecord c = records.get(0);
            try {
                return new Row(flag(DatasetName.class, c.get("dataset")), flag(ModelKind.class, c.get("model")),
                        flag(Head.class, c.get("head")), flag(Protocol.class, c.get("protocol")), c.get("preprocessing"),
                        num(c.get("cv_acc_mean")),
                        num(c.get("cv_acc_std")), num(c.get("test_acc")), num(c.get("precision")), num(c.get("recall")),
                        num(c.get("f1")), Integer.parseInt(c.get("train_rows")), Integer.parseInt(c.get("epochs")),
                        Integer.parseInt(c.get("folds")), c.get("engine"),
                        c.isMapped("device_kernels") ? c.get("device_kernels") : "", num(c.get("seconds")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": malformed result row: " + e.getMessage(), e);
            }
        }
    }

    /** Markdown: our rows beside the paper's, in the paper's layout (CV acc ± sd, test acc, P/R/F1). */
    public static String markdown(List<Row> rows) {
        MarkdownTable t = new MarkdownTable("dataset", "model", "protocol", "input", "CV acc % (ours)", "CV acc % (paper)",
                "test acc % (ours)", "test acc % (paper)", "P / R / F1 (ours)", "P / R / F1 (paper)", "train rows × epochs × folds",
                "engine", "time (s)");
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> Integer.compare(paperIndex(a), paperIndex(b)));
        for (Row r : sorted) {
            Paper p = PAPER.stream().filter(x -> x.matches(r)).findFirst().orElse(null);
            String name = r.model().name() + "-" + r.head().title();
            t.row(r.dataset().title(), name, r.protocol(), r.preprocessing(), pct(r.cvMean(), r.cvStd()),
                    p == null ? "–" : pct(p.cvMean(), p.cvStd()) + (p.note().isEmpty() ? "" : " (" + p.note() + ")"),
                    String.format(Locale.ROOT, "%.2f", 100 * r.testAccuracy()),
                    p == null ? "–" : String.format(Locale.ROOT, "%.2f", 100 * p.testAccuracy()),
                    prf(r.precision(), r.recall(), r.f1()), p == null ? "–" : prf(p.precision(), p.recall(), p.f1()),
                    r.trainRows() + " × " + r.epochs() + " × " + r.folds(), r.engine(), String.format(Locale.ROOT, "%.0f", r.seconds()));
        }
        return t.toString();
    }

    private static int paperIndex(Row r) {
        for (int i = 0; i < PAPER.size(); i++) {
            if (PAPER.get(i).matches(r)) {
                return i;
            }
        }
        return PAPER.size();
    }

    /** The enum constant whose flag (toString) is {@code value}. */
    private static <E extends Enum<E>> E flag(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(type.getSimpleName() + " '" + value + "'");
    }

    /** Precision / recall / F1 with two decimals, as the paper prints them. */
    static String prf(double precision, double recall, double f1) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", precision, recall, f1);
    }

    private static String pct(double mean, double sd) {
        if (Double.isNaN(mean)) {
            return "–";
        }
        return Double.isNaN(sd) ? String.format(Locale.ROOT, "%.2f", 100 * mean)
                : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * sd);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static double num(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
