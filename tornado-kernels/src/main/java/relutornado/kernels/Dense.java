package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Fully connected layer, Keras layout: {@code out = in · W + b}.
 * <pre>in: (N, C), W: (C, OC) at params[wOff], b: (OC) at params[bOff], out: (N, OC)</pre>
 * The (row, output) loops are both {@code @Parallel}: on a GPU consecutive threads read
 * consecutive columns of W (coalesced); the reduction over C stays sequential per thread.
 */
public final class Dense {
    private Dense() {
    }

    /** out[n,o] = b[o] + Σ_c in[n,c]·W[c,o]. Overwrites out. Range over rows n. */
    public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff,
                               int C, int OC, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int o = 0; o < OC; o++) {
                int n = start + t;
                float acc = params[bOff + o];
                for (int c = 0; c < C; c++) {
                    acc += in[n * C + c] * params[wOff + c * OC + o];
                }
                out[n * OC + o] = acc;
            }
        }
    }

    /** dIn[n,c] = Σ_o dOut[n,o]·W[c,o]. Overwrites dIn. Range over rows n. */
    public static void backwardInput(float[] dIn, float[] dOut, float[] params, int wOff,
                                     int C, int OC, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int c = 0; c < C; c++) {
                int n = start + t;
                float acc = 0.0f;
                for (int o = 0; o < OC; o++) {
                    acc += dOut[n * OC + o] * params[wOff + c * OC + o];
                }
                dIn[n * C + c] = acc;
            }
        }
    }

    /** dW[c,o] = Σ_n in[n,c]·dOut[n,o] into grads[wOff..]. Overwrites. Range over input features c. */
    public static void backwardWeights(float[] grads, float[] dOut, float[] in, int wOff,
                                       int N, int C, int OC, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int o = 0; o < OC; o++) {
                int c = start + t;
                float acc = 0.0f;
                for (int n = 0; n < N; n++) {
                    acc += in[n * C + c] * dOut[n * OC + o];
                }
                grads[wOff + c * OC + o] = acc;
            }
        }
    }

    /** db[o] = Σ_n dOut[n,o] into grads[bOff..]. Overwrites. Range over outputs o. */
    public static void backwardBias(float[] grads, float[] dOut, int bOff,
                                    int N, int OC, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int o = start + t;
            float acc = 0.0f;
            for (int n = 0; n < N; n++) {
                acc += dOut[n * OC + o];
            }
            grads[bOff + o] = acc;
        }
    }
}
