package relutornado.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    // 10 samples, supports 4, 3, 3 (the example worked by hand in ClassificationReportTest)
    static final int[] LABELS = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    static final int[] PREDICTED = {0, 0, 1, 2, 1, 1, 0, 2, 2, 1};

    @Test
    void countsTrueByPredicted() {
        ConfusionMatrix cm = new ConfusionMatrix(LABELS, PREDICTED, 3);
        assertArrayEquals(new int[][] {{2, 1, 1}, {1, 2, 0}, {0, 1, 2}}, cm.counts());
        assertEquals(3, cm.classes());
        assertEquals(10, cm.total());
        assertEquals(1, cm.get(0, 2));
        assertEquals(0, cm.get(2, 0));
        assertEquals(4, cm.support(0));
        assertEquals(4, cm.predictedCount(1));
        assertEquals(0.6, cm.accuracy(), 1e-15); // diagonal 2 + 2 + 2 of 10
    }

    @Test
    void countsIsACopy() {
        ConfusionMatrix cm = new ConfusionMatrix(LABELS, PREDICTED, 3);
        cm.counts()[0][0] = 99;
        assertEquals(2, cm.get(0, 0));
    }

    @Test
    void perfectAndAllWrong() {
        ConfusionMatrix perfect = new ConfusionMatrix(new int[] {0, 1, 2, 2}, new int[] {0, 1, 2, 2}, 3);
        assertEquals(1.0, perfect.accuracy());
        ConfusionMatrix wrong = new ConfusionMatrix(new int[] {0, 1, 2}, new int[] {1, 2, 0}, 3);
        assertEquals(0.0, wrong.accuracy());
        assertArrayEquals(new int[][] {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}}, wrong.counts());
    }

    @Test
    void equalsByCounts() {
        assertEquals(new ConfusionMatrix(LABELS, PREDICTED, 3), new ConfusionMatrix(LABELS.clone(), PREDICTED.clone(), 3));
    }

    @Test
    void rejectsBadInput() {
        assertMessage(() -> new ConfusionMatrix(new int[] {0, 1}, new int[] {0}, 2), "differ in length: 2 vs 1");
        assertMessage(() -> new ConfusionMatrix(new int[] {0, 2}, new int[] {0, 1}, 2), "labels[1] = 2 is outside [0, 2)");
        assertMessage(() -> new ConfusionMatrix(new int[] {0, 1}, new int[] {-1, 1}, 2), "predicted[0] = -1");
        assertMessage(() -> new ConfusionMatrix(new int[0], new int[0], 2), "must not be empty");
        assertMessage(() -> new ConfusionMatrix(new int[] {0}, new int[] {0}, 0), "at least 1");
        assertMessage(() -> new ConfusionMatrix(null, new int[] {0}, 1), "must not be null");
        ConfusionMatrix cm = new ConfusionMatrix(LABELS, PREDICTED, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> cm.get(3, 0));
    }

    static void assertMessage(Runnable r, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
