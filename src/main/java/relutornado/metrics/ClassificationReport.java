package relutornado.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-class precision, recall, F1 and support with their macro and support-weighted averages, with
 * the semantics of sklearn's {@code classification_report(y_true, y_pred, labels=range(K),
 * target_names=names)} and its default {@code zero_division} (which yields 0 after a warning):
 * <ul>
 *   <li>precision = TP / (TP + FP), 0 when the class is never predicted;</li>
 *   <li>recall = TP / (TP + FN), 0 when the class has no support;</li>
 *   <li>f1 = 2 TP / (2 TP + FP + FN), the form sklearn computes since 1.3 (equal to 2PR / (P + R)),
 *       0 when the class is neither present nor predicted (and hence 0 whenever P + R = 0);</li>
 *   <li>macro avg = unweighted mean over all K classes; weighted avg = mean weighted by support.
 *       Both averages report the total support.</li>
 * </ul>
 * Every class of the confusion matrix is reported, as with sklearn's {@code labels=} argument: a
 * class absent from both truth and predictions gets a row of zeros and counts in the macro average
 * (sklearn without {@code labels=} would leave it out).
 */
public record ClassificationReport(List<ClassMetrics> perClass, double accuracy, Averages macroAvg, Averages weightedAvg) {

    /** One row of the report. */
    public record ClassMetrics(String name, double precision, double recall, double f1, int support) {
        public ClassMetrics {
            if (name == null) {
                throw new IllegalArgumentException("class name must not be null");
            }
            checkRate("precision of " + name, precision);
            checkRate("recall of " + name, recall);
            checkRate("f1 of " + name, f1);
            if (support < 0) {
                throw new IllegalArgumentException("support of " + name + " must be >= 0, got " + support);
            }
        }
    }

    /** A "macro avg" or "weighted avg" row; support is the total number of samples. */
    public record Averages(double precision, double recall, double f1, int support) {
        public Averages {
            checkRate("average precision", precision);
            checkRate("average recall", recall);
            checkRate("average f1", f1);
            if (support < 0) {
                throw new IllegalArgumentException("total support must be >= 0, got " + support);
            }
        }
    }

    public ClassificationReport {
        if (perClass == null || perClass.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one class");
        }
        if (macroAvg == null || weightedAvg == null) {
            throw new IllegalArgumentException("averages must not be null");
        }
        checkRate("accuracy", accuracy);
        perClass = List.copyOf(perClass);
    }

    /** The report of a confusion matrix; {@code classNames.get(c)} names class c. */
    public static ClassificationReport of(ConfusionMatrix cm, List<String> classNames) {
        if (cm == null || classNames == null) {
            throw new IllegalArgumentException("confusion matrix and class names must not be null");
        }
        int k = cm.classes();
        if (classNames.size() != k) {
            throw new IllegalArgumentException("got " + classNames.size() + " class names for " + k + " classes");
        }
        List<ClassMetrics> rows = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            int tp = cm.get(c, c);
            int support = cm.support(c);
            int predicted = cm.predictedCount(c);
            rows.add(new ClassMetrics(classNames.get(c), ratio(tp, predicted), ratio(tp, support),
                    ratio(2L * tp, (long) support + predicted), support));
        }
        return new ClassificationReport(rows, cm.accuracy(), macro(rows, cm.total()), weighted(rows, cm.total()));
    }

    /** n / d, or 0 when d = 0 (sklearn's zero_division default). */
    static double ratio(long n, long d) {
        return d == 0 ? 0.0 : (double) n / d;
    }

    private static Averages macro(List<ClassMetrics> rows, int total) {
        double p = 0, r = 0, f = 0;
        for (ClassMetrics m : rows) {
            p += m.precision();
            r += m.recall();
            f += m.f1();
        }
        int k = rows.size();
        return new Averages(p / k, r / k, f / k, total);
    }

    private static Averages weighted(List<ClassMetrics> rows, int total) {
        double p = 0, r = 0, f = 0;
        long support = 0;
        for (ClassMetrics m : rows) {
            p += m.precision() * m.support();
            r += m.recall() * m.support();
            f += m.f1() * m.support();
            support += m.support();
        }
        if (support == 0) {
            // np.average with zero total weight: sklearn returns its zero_division value
            return new Averages(0, 0, 0, total);
        }
        return new Averages(p / support, r / support, f / support, total);
    }

    private static void checkRate(String what, double v) {
        if (!(v >= 0.0 && v <= 1.0)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + v);
        }
    }
}
