package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/** Elementwise activations. Shapes: in, out, dIn, dOut all (E) = (N * features). */
public final class Activation {
    private Activation() {
    }

    /** out = max(0, in). Overwrites out. Range over elements. */
    public static void reluForward(float[] out, float[] in, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int i = start + t;
            out[i] = Math.max(0.0f, in[i]);
        }
    }

    /** dIn = dOut · 1[in &gt; 0], with in the pre-activation saved by forward. Overwrites dIn. */
    public static void reluBackward(float[] dIn, float[] dOut, float[] in, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int i = start + t;
            dIn[i] = in[i] > 0.0f ? dOut[i] : 0.0f;
        }
    }
}
