package relutornado.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static relutornado.metrics.ConfusionMatrixTest.assertMessage;

import java.util.List;
import org.junit.jupiter.api.Test;
import relutornado.metrics.ClassificationReport.Averages;
import relutornado.metrics.ClassificationReport.ClassMetrics;

/** Against values worked out by hand with sklearn's classification_report rules. */
class ClassificationReportTest {
    static final double TOL = 1e-12;
    static final List<String> ABC = List.of("a", "b", "c");

    /**
     * labels    0 0 0 0 1 1 1 2 2 2
     * predicted 0 0 1 2 1 1 0 2 2 1
     * confusion (rows true, columns predicted):
     *   a: 2 1 1   support 4
     *   b: 1 2 0   support 3
     *   c: 0 1 2   support 3
     *   column sums (times predicted): 3 4 3; diagonal 2 2 2 → accuracy 6/10 = 0.6
     */
    static ClassificationReport handExample() {
        return ClassificationReport.of(new ConfusionMatrix(ConfusionMatrixTest.LABELS, ConfusionMatrixTest.PREDICTED, 3), ABC);
    }

    @Test
    void handComputedThreeClassExample() {
        ClassificationReport r = handExample();
        // a: P = 2/3, R = 2/4 = 1/2, F1 = 2*2 / (4 + 3) = 4/7 (= 2PR/(P+R) = (2/3)/(7/6))
        assertClass(r.perClass().get(0), "a", 2.0 / 3, 0.5, 4.0 / 7, 4);
        // b: P = 2/4 = 1/2, R = 2/3, F1 = 2*2 / (3 + 4) = 4/7
        assertClass(r.perClass().get(1), "b", 0.5, 2.0 / 3, 4.0 / 7, 3);
        // c: P = 2/3, R = 2/3, F1 = 2*2 / (3 + 3) = 2/3
        assertClass(r.perClass().get(2), "c", 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
        assertEquals(0.6, r.accuracy(), TOL);
        // macro: P = (2/3 + 1/2 + 2/3)/3 = (11/6)/3 = 11/18; R = (1/2 + 2/3 + 2/3)/3 = 11/18;
        //        F1 = (4/7 + 4/7 + 2/3)/3 = (12/21 + 12/21 + 14/21)/3 = 38/63
        assertAverages(r.macroAvg(), 11.0 / 18, 11.0 / 18, 38.0 / 63, 10);
        // weighted: P = (4*2/3 + 3*1/2 + 3*2/3)/10 = (16/6 + 9/6 + 12/6)/10 = 37/60;
        //           R = (4*1/2 + 3*2/3 + 3*2/3)/10 = (2 + 2 + 2)/10 = 0.6 (weighted recall = accuracy);
        //           F1 = (4*4/7 + 3*4/7 + 3*2/3)/10 = (28/7 + 2)/10 = 0.6
        assertAverages(r.weightedAvg(), 37.0 / 60, 0.6, 0.6, 10);
    }

    @Test
    void perfectPredictions() {
        int[] y = {0, 1, 2, 2, 1};
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(y, y, 3), ABC);
        for (ClassMetrics m : r.perClass()) {
            assertClass(m, m.name(), 1, 1, 1, m.support());
        }
        assertEquals(1.0, r.accuracy());
        assertAverages(r.macroAvg(), 1, 1, 1, 5);
        assertAverages(r.weightedAvg(), 1, 1, 1, 5);
    }

    @Test
    void allWrongPredictions() {
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(new int[] {0, 1, 2, 0}, new int[] {1, 2, 0, 2}, 3), ABC);
        // no true positives anywhere: every precision, recall and F1 is 0
        assertClass(r.perClass().get(0), "a", 0, 0, 0, 2);
        assertClass(r.perClass().get(1), "b", 0, 0, 0, 1);
        assertClass(r.perClass().get(2), "c", 0, 0, 0, 1);
        assertEquals(0.0, r.accuracy());
        assertAverages(r.macroAvg(), 0, 0, 0, 4);
        assertAverages(r.weightedAvg(), 0, 0, 0, 4);
    }

    @Test
    void classNeverPredicted() {
        // labels 0 0 1 1 2, predicted 0 0 0 1 0: c is never predicted
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(new int[] {0, 0, 1, 1, 2}, new int[] {0, 0, 0, 1, 0}, 3), ABC);
        // a: TP 2, predicted 4, support 2 → P = 1/2, R = 1, F1 = 4/(2 + 4) = 2/3
        assertClass(r.perClass().get(0), "a", 0.5, 1, 2.0 / 3, 2);
        // b: TP 1, predicted 1, support 2 → P = 1, R = 1/2, F1 = 2/(2 + 1) = 2/3
        assertClass(r.perClass().get(1), "b", 1, 0.5, 2.0 / 3, 2);
        // c: predicted 0 times → precision 0/0 = 0 (zero_division); R = 0/1 = 0; F1 = 0
        assertClass(r.perClass().get(2), "c", 0, 0, 0, 1);
        // macro P = (1/2 + 1 + 0)/3 = 1/2; R = (1 + 1/2 + 0)/3 = 1/2; F1 = (2/3 + 2/3 + 0)/3 = 4/9
        assertAverages(r.macroAvg(), 0.5, 0.5, 4.0 / 9, 5);
        // weighted P = (2*1/2 + 2*1 + 1*0)/5 = 3/5; R = (2*1 + 2*1/2 + 0)/5 = 3/5 (= accuracy);
        //          F1 = (2*2/3 + 2*2/3 + 0)/5 = (8/3)/5 = 8/15
        assertAverages(r.weightedAvg(), 0.6, 0.6, 8.0 / 15, 5);
        assertEquals(0.6, r.accuracy(), TOL);
    }

    @Test
    void classWithZeroSupport() {
        // labels 0 0 1 1, predicted 0 2 1 1: c has no true samples but is predicted once
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(new int[] {0, 0, 1, 1}, new int[] {0, 2, 1, 1}, 3), ABC);
        // a: TP 1, predicted 1, support 2 → P = 1, R = 1/2, F1 = 2/(2 + 1) = 2/3
        assertClass(r.perClass().get(0), "a", 1, 0.5, 2.0 / 3, 2);
        assertClass(r.perClass().get(1), "b", 1, 1, 1, 2);
        // c: P = 0/1 = 0, recall 0/0 = 0 (zero_division), F1 = 0/(0 + 1) = 0, support 0
        assertClass(r.perClass().get(2), "c", 0, 0, 0, 0);
        // macro counts c: P = (1 + 1 + 0)/3 = 2/3, R = (1/2 + 1 + 0)/3 = 1/2, F1 = (2/3 + 1 + 0)/3 = 5/9
        assertAverages(r.macroAvg(), 2.0 / 3, 0.5, 5.0 / 9, 4);
        // weighted gives c weight 0: P = (2 + 2)/4 = 1, R = (2*1/2 + 2)/4 = 3/4, F1 = (2*2/3 + 2)/4 = 5/6
        assertAverages(r.weightedAvg(), 1, 0.75, 5.0 / 6, 4);
    }

    @Test
    void classAbsentFromTruthAndPredictionsCountsInMacroAverage() {
        // as sklearn with labels=range(3): c gets zeros and drags the macro average to 2/3
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(new int[] {0, 1}, new int[] {0, 1}, 3), ABC);
        assertClass(r.perClass().get(2), "c", 0, 0, 0, 0);
        assertAverages(r.macroAvg(), 2.0 / 3, 2.0 / 3, 2.0 / 3, 2);
        assertAverages(r.weightedAvg(), 1, 1, 1, 2);
    }

    @Test
    void rejectsBadInput() {
        ConfusionMatrix cm = new ConfusionMatrix(new int[] {0, 1}, new int[] {0, 1}, 2);
        assertMessage(() -> ClassificationReport.of(cm, ABC), "got 3 class names for 2 classes");
        assertMessage(() -> new ClassMetrics("x", 1.5, 0, 0, 1), "precision of x must be in [0, 1], got 1.5");
        assertMessage(() -> new ClassMetrics("x", 0, 0, Double.NaN, 1), "f1 of x");
        assertMessage(() -> new ClassMetrics("x", 0, 0, 0, -1), "support of x must be >= 0");
        assertMessage(() -> new Averages(0, 0, 0, -2), "total support");
        assertMessage(() -> new ClassificationReport(List.of(), 1, new Averages(0, 0, 0, 0), new Averages(0, 0, 0, 0)),
                "at least one class");
    }

    static void assertClass(ClassMetrics m, String name, double p, double r, double f1, int support) {
        assertEquals(name, m.name());
        assertEquals(p, m.precision(), TOL, name + " precision");
        assertEquals(r, m.recall(), TOL, name + " recall");
        assertEquals(f1, m.f1(), TOL, name + " f1");
        assertEquals(support, m.support(), name + " support");
    }

    static void assertAverages(Averages a, double p, double r, double f1, int support) {
        assertEquals(p, a.precision(), TOL, "precision");
        assertEquals(r, a.recall(), TOL, "recall");
        assertEquals(f1, a.f1(), TOL, "f1");
        assertEquals(support, a.support(), "support");
    }
}
