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

    /**
     * dIn = dOut · 1[in &gt; 0], with in the pre-activation saved by forward. Overwrites dIn. The step is
     * max(0, sign(in)), not a branch: OpenCL CPU drivers (PoCL) keep TornadoVM's if/else as a branch, which mispredicts
     * on half the elements; {@code + 0} makes a dropped negative gradient +0, as the branch gave.
     */
    public static void reluBackward(float[] dIn, float[] dOut, float[] in, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int i = start + t;
            dIn[i] = dOut[i] * Math.max(0.0f, Math.signum(in[i])) + 0.0f;
        }
    }
}
