package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * The two classification heads with Keras' categorical cross-entropy (Keras 2.1, TF backend, as the
 * paper's author used it): the head's output is normalised to sum 1, clipped to
 * [EPSILON, 1 - EPSILON], and L = -log p[label], averaged over the valid rows of the batch. The
 * clip's gradient is zero outside the range, so a row whose true-class probability is clipped
 * contributes no gradient.
 * <pre>
 *   logits, dLogits: (N, K)   labels, rowPred, rowDead: (N)   rowLoss: (N)
 *   batch: {valid rows n}: rows n..N-1 are padding (loss 0, prediction -1, gradient 0)
 * </pre>
 * Per-row outputs instead of a device-side reduction: the host sums N floats, no atomics needed.
 */
public final class Loss {
    /** Keras' K.epsilon(), the clip bound of categorical_crossentropy. */
    public static final float EPSILON = 1e-7f;

    private Loss() {
    }

    /**
     * Softmax head: p = softmax(o); rowLoss = -log(clip(p[y])); rowPred = argmax p (ties → lowest).
     * Overwrites rowLoss, rowPred. Range over rows.
     */
    public static void softmaxForward(float[] rowLoss, int[] rowPred, float[] logits, int[] labels, int[] batch,
                                      int K, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int r = start + t;
            softmaxForwardRow(rowLoss, rowPred, logits, labels, batch, K, r);
        }
    }

    /**
     * dL/do[r,j] = (p_j - 1[j = y]) / n for valid rows whose p[y] is inside the clip range, else 0.
     * (Softmax then Keras' renormalisation and log: the Jacobians collapse to p - y.) Overwrites dLogits.
     */
    public static void softmaxBackward(float[] dLogits, float[] logits, int[] labels, int[] batch,
                                       int K, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int r = start + t;
            softmaxBackwardRow(dLogits, logits, labels, batch, K, r);
        }
    }

    /**
     * ReLU head (DL-ReLU): f = max(0, o), S = Σ f, p = f / S, rowLoss = -log(clip(p[y])),
     * rowPred = argmax f (ties → lowest). S = 0 (every output dead): p is undefined (Keras gives NaN);
     * we take p[y] = EPSILON, so rowLoss = -log(EPSILON), rowDead = 1 and the gradient is zero (no
     * output unit is active). Overwrites rowLoss, rowPred, rowDead. Range over rows.
     */
    public static void reluHeadForward(float[] rowLoss, int[] rowPred, int[] rowDead, float[] logits, int[] labels,
                                       int[] batch, int K, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int r = start + t;
            reluHeadForwardRow(rowLoss, rowPred, rowDead, logits, labels, batch, K, r);
        }
    }

    /**
     * With S = Σ f and c the true class, for a valid row whose p[c] = f_c / S lies in the clip range:
     * dL/df_j = 1/S - 1[j = c]/f_c, dL/do_j = dL/df_j · 1[o_j &gt; 0], divided by n (batch mean).
     * Rows with p[c] clipped, or S = 0, or padding get 0. Overwrites dLogits.
     */
    public static void reluHeadBackward(float[] dLogits, float[] logits, int[] labels, int[] batch,
                                        int K, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int r = start + t;
            reluHeadBackwardRow(dLogits, logits, labels, batch, K, r);
        }
    }

    /** {@link #softmaxForward} and {@link #softmaxBackward} in one pass over the rows, the same floats (for engines that fuse the pair). */
    public static void softmaxForwardBackward(float[] rowLoss, int[] rowPred, float[] dLogits, float[] logits, int[] labels,
                                              int[] batch, int K, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int r = start + t;
            softmaxForwardRow(rowLoss, rowPred, logits, labels, batch, K, r);
            softmaxBackwardRow(dLogits, logits, labels, batch, K, r);
        }
    }

    /** {@link #reluHeadForward} and {@link #reluHeadBackward} in one pass over the rows, the same floats (for engines that fuse the pair). */
    public static void reluHeadForwardBackward(float[] rowLoss, int[] rowPred, int[] rowDead, float[] dLogits, float[] logits,
                                               int[] labels, int[] batch, int K, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int r = start + t;
            reluHeadForwardRow(rowLoss, rowPred, rowDead, logits, labels, batch, K, r);
            reluHeadBackwardRow(dLogits, logits, labels, batch, K, r);
        }
    }

    /** Row r of {@link #softmaxForward}. */
    private static void softmaxForwardRow(float[] rowLoss, int[] rowPred, float[] logits, int[] labels, int[] batch, int K, int r) {
        if (r < batch[0]) {
            int base = r * K;
            float max = rowMax(logits, base, K);
            float sum = expSum(logits, base, K, max);
            float p = (float) Math.exp(logits[base + labels[r]] - max) / sum;
            p = Math.min(Math.max(p, EPSILON), 1.0f - EPSILON);
            rowLoss[r] = -(float) Math.log(p);
            storeArgmax(rowPred, logits, base, K, r, false);
        } else {
            rowLoss[r] = 0.0f;
            rowPred[r] = -1;
        }
    }

    /** Row r of {@link #softmaxBackward}. */
    private static void softmaxBackwardRow(float[] dLogits, float[] logits, int[] labels, int[] batch, int K, int r) {
        int base = r * K;
        int n = batch[0];
        if (r < n) {
            float max = rowMax(logits, base, K);
            float sum = expSum(logits, base, K, max);
            int y = labels[r];
            float py = (float) Math.exp(logits[base + y] - max) / sum;
            for (int j = 0; j < K; j++) {
                dLogits[base + j] = 0.0f;
            }
            // unless clipped (py < EPSILON || py > 1 - EPSILON), as nested ifs: the portable kernel subset
            if (!(py < EPSILON)) {
                if (!(py > 1.0f - EPSILON)) {
                    for (int j = 0; j < K; j++) {
                        float p = (float) Math.exp(logits[base + j] - max) / sum;
                        float g = p - (j == y ? 1.0f : 0.0f);
                        dLogits[base + j] = g / n;
                    }
                }
            }
        } else {
            for (int j = 0; j < K; j++) {
                dLogits[base + j] = 0.0f;
            }
        }
    }

    /** Row r of {@link #reluHeadForward}. */
    private static void reluHeadForwardRow(float[] rowLoss, int[] rowPred, int[] rowDead, float[] logits, int[] labels, int[] batch, int K, int r) {
        if (r < batch[0]) {
            int base = r * K;
            float sum = 0.0f;
            for (int j = 0; j < K; j++) {
                sum += Math.max(0.0f, logits[base + j]);
            }
            // argmax f (ties → lowest) is argmax o when some o > 0, else 0 (every f is 0)
            storeArgmax(rowPred, logits, base, K, r, true);
            // S = 0: p[y] = EPSILON (clip(EPSILON) = EPSILON); the outputs are written in the branch rather than
            // chosen by a float comparison, which TornadoVM's SPIR-V backend cannot select on (the portable kernel subset)
            rowLoss[r] = -(float) Math.log(EPSILON);
            rowDead[r] = 1;
            if (sum > 0.0f) {
                float p = Math.max(0.0f, logits[base + labels[r]]) / sum;
                p = Math.min(Math.max(p, EPSILON), 1.0f - EPSILON);
                rowLoss[r] = -(float) Math.log(p);
                rowDead[r] = 0;
            }
        } else {
            rowLoss[r] = 0.0f;
            rowPred[r] = -1;
            rowDead[r] = 0;
        }
    }

    /** The largest of logits[base .. base + K). */
    private static float rowMax(float[] logits, int base, int K) {
        float max = logits[base];
        for (int j = 1; j < K; j++) {
            max = Math.max(max, logits[base + j]);
        }
        return max;
    }

    /** Σ_j exp(logits[base + j] − max), the softmax's denominator. */
    private static float expSum(float[] logits, int base, int K, float max) {
        float sum = 0.0f;
        for (int j = 0; j < K; j++) {
            sum += (float) Math.exp(logits[base + j] - max);
        }
        return sum;
    }

    /**
     * rowPred[r] = the first index of row r's largest logit (logits[base .. base + K)); with {@code positiveOnly} 0
     * unless that logit is above 0. Each index is stored in the branch that finds it, never selected by a float
     * comparison (the portable kernel subset: with K = 2 the loop unrolls, and an unstored index becomes such a select).
     */
    private static void storeArgmax(int[] rowPred, float[] logits, int base, int K, int r, boolean positiveOnly) {
        float max = logits[base];
        rowPred[r] = 0;
        for (int j = 1; j < K; j++) {
            if (logits[base + j] > max) {
                max = logits[base + j];
                rowPred[r] = j;
            }
        }
        if (positiveOnly) {
            if (!(max > 0.0f)) {
                rowPred[r] = 0;
            }
        }
    }

    /** Row r of {@link #reluHeadBackward}. */
    private static void reluHeadBackwardRow(float[] dLogits, float[] logits, int[] labels, int[] batch, int K, int r) {
        int base = r * K;
        int n = batch[0];
        for (int j = 0; j < K; j++) {
            dLogits[base + j] = 0.0f;
        }
        // live rows: valid, S > 0 and p[y] inside the clip range, as nested ifs (the portable kernel subset)
        if (r < n) {
            float sum = 0.0f;
            for (int j = 0; j < K; j++) {
                sum += Math.max(0.0f, logits[base + j]);
            }
            int y = labels[r];
            float fy = Math.max(0.0f, logits[base + y]);
            if (sum > 0.0f) {
                float py = fy / sum;
                if (py >= EPSILON) {
                    if (py <= 1.0f - EPSILON) {
                        for (int j = 0; j < K; j++) {
                            if (logits[base + j] > 0.0f) {
                                dLogits[base + j] = (1.0f / sum - (j == y ? 1.0f / fy : 0.0f)) / n;
                            }
                        }
                    }
                }
            }
        }
    }
}
