package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Counting live ReLU units on the device, for the dying-ReLU analysis: only the per-unit counts travel
 * to the host, never the activations. A unit is a feature of a dense layer or a channel (filter) of a
 * convolution; the host adds the counts over the batches of a pass, a unit whose count stays 0 is dead,
 * and the zero activations are (valid rows · C · S) minus the sum of the counts.
 * <pre>
 *   act: (N, C, S), row-major (a dense layer's (N, C) is S = 1; an NCHW map is S = H·W)   active: (C)
 *   batch: {valid rows n}: rows n..N-1 are padding and not counted
 * </pre>
 * One work-item per unit, each looping over rows and positions: plain counters, no reduction across
 * work-items (TornadoVM's {@code @Reduce} is wrong on PoCL).
 */
public final class Activity {
    private Activity() {
    }

    /**
     * active[c] = number of (r &lt; batch[0], s) with act[(r·C + c)·S + s] &gt; 0. Overwrites active. Range over units.
     */
    public static void countActive(int[] active, float[] act, int[] batch, int C, int S, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int c = start + t;
            int n = batch[0];
            int live = 0;
            for (int r = 0; r < n; r++) {
                int base = (r * C + c) * S;
                for (int s = 0; s < S; s++) {
                    if (act[base + s] > 0.0f) {
                        live++;
                    }
                }
            }
            active[c] = live;
        }
    }
}
