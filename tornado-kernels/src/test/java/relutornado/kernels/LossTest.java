package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static relutornado.kernels.GradCheck.assertClose;
import static relutornado.kernels.GradCheck.numericGradient;
import static relutornado.kernels.GradCheck.toDouble;

import org.junit.jupiter.api.Test;

/**
 * Both heads against a double-precision reference of Keras' categorical cross-entropy
 * (normalise, clip to [1e-7, 1-1e-7], -log p[y], batch mean), and their gradients against finite
 * differences of that reference, including clipped rows, all-dead rows and padding rows.
 */
class LossTest {
    static final double EPS = 1e-7;
    static final int K = 4;

    static double clip(double p) {
        return Math.min(Math.max(p, EPS), 1 - EPS);
    }

    /** Mean over the n valid rows of -log(clip(softmax(o)[y])). */
    static double softmaxLoss(double[] o, int[] y, int n) {
        double total = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < K; j++) {
                max = Math.max(max, o[r * K + j]);
            }
            double sum = 0;
            for (int j = 0; j < K; j++) {
                sum += Math.exp(o[r * K + j] - max);
            }
            total += -Math.log(clip(Math.exp(o[r * K + y[r]] - max) / sum));
        }
        return total / n;
    }

    /** Mean over the n valid rows of -log(clip(relu(o)[y] / Σ relu(o))), with p = EPS when Σ = 0. */
    static double reluLoss(double[] o, int[] y, int n) {
        double total = 0;
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int j = 0; j < K; j++) {
                sum += Math.max(0, o[r * K + j]);
            }
            double p = sum > 0 ? Math.max(0, o[r * K + y[r]]) / sum : EPS;
            total += -Math.log(clip(p));
        }
        return total / n;
    }

    // Rows: 0 ordinary; 1 true class dominant (softmax p[y] clipped at 1-eps); 2 true class relu-dead
    // but others alive (relu p[y] = 0 → clipped); 3 every output negative (relu S = 0, dead);
    // 4 ordinary with one negative output; 5 padding (batch[0] = 5).
    static final float[] LOGITS = {
        0.3f, -0.7f, 1.2f, 0.5f,
        40f, 0.1f, 0.2f, 0.3f,
        0.6f, 0.9f, -0.4f, 0.2f,
        -0.3f, -1.1f, -0.2f, -0.5f,
        1.5f, -0.8f, 0.4f, 0.9f,
        9f, 9f, 9f, 9f,
    };
    static final int[] LABELS = {2, 0, 2, 1, 3, 1};
    static final int N = 6;
    static final int VALID = 5;

    @Test
    void softmaxLossPredictionsAndGradient() {
        float[] rowLoss = new float[N];
        int[] rowPred = new int[N];
        int[] batch = {VALID};
        Loss.softmaxForward(rowLoss, rowPred, LOGITS, LABELS, batch, K, 0, N);
        double sum = 0;
        for (float l : rowLoss) {
            sum += l;
        }
        assertEquals(softmaxLoss(toDouble(LOGITS), LABELS, VALID), sum / VALID, 1e-6);
        assertArrayEquals(new int[] {2, 0, 1, 2, 0, -1}, rowPred);
        assertEquals(0f, rowLoss[5], "padding row has no loss");

        double[] num = numericGradient(toDouble(LOGITS), o -> softmaxLoss(o, LABELS, VALID));
        float[] dLogits = new float[N * K];
        java.util.Arrays.fill(dLogits, 99f); // overwritten everywhere, padding included
        Loss.softmaxBackward(dLogits, LOGITS, LABELS, batch, K, 0, N);
        assertClose("softmax dLogits", num, dLogits, 1e-4, 1e-6);
        for (int j = 0; j < K; j++) {
            assertEquals(0f, dLogits[K + j], "row 1 is clipped: no gradient");
        }
    }

    @Test
    void reluHeadLossPredictionsDeadRowsAndGradient() {
        float[] rowLoss = new float[N];
        int[] rowPred = new int[N];
        int[] rowDead = new int[N];
        int[] batch = {VALID};
        Loss.reluHeadForward(rowLoss, rowPred, rowDead, LOGITS, LABELS, batch, K, 0, N);
        double sum = 0;
        for (float l : rowLoss) {
            sum += l;
        }
        assertEquals(reluLoss(toDouble(LOGITS), LABELS, VALID), sum / VALID, 1e-5);
        // row 3 is all-dead: argmax of all-zero f is the lowest index
        assertArrayEquals(new int[] {2, 0, 1, 0, 0, -1}, rowPred);
        assertArrayEquals(new int[] {0, 0, 0, 1, 0, 0}, rowDead);
        assertEquals(-Math.log(EPS), rowLoss[3], 1e-4);

        double[] num = numericGradient(toDouble(LOGITS), o -> reluLoss(o, LABELS, VALID));
        float[] dLogits = new float[N * K];
        java.util.Arrays.fill(dLogits, 99f);
        Loss.reluHeadBackward(dLogits, LOGITS, LABELS, batch, K, 0, N);
        assertClose("relu head dLogits", num, dLogits, 1e-4, 1e-6);
        for (int r : new int[] {2, 3, 5}) {
            for (int j = 0; j < K; j++) {
                assertEquals(0f, dLogits[r * K + j], "row " + r + " gets no gradient");
            }
        }
        // row 0: the hand formula, dL/do_j = (1/S - 1[j=y]/f_y)/n for active outputs
        double s = 0.3 + 1.2 + 0.5;
        assertEquals((1 / s) / VALID, dLogits[0], 1e-6);
        assertEquals(0.0, dLogits[1], 0.0);
        assertEquals((1 / s - 1 / 1.2) / VALID, dLogits[2], 1e-6);
    }

    @Test
    void reluHeadTiesGoToTheLowestClass() {
        float[] logits = {0.5f, 2f, 2f, 1f};
        float[] rowLoss = new float[1];
        int[] rowPred = new int[1];
        int[] rowDead = new int[1];
        Loss.reluHeadForward(rowLoss, rowPred, rowDead, logits, new int[] {0}, new int[] {1}, K, 0, 1);
        assertEquals(1, rowPred[0]);
    }
}
