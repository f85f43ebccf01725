package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * 2×2 max pooling, stride 2, Keras' {@code valid} pooling: OH = floor(H / 2), OW = floor(W / 2); an odd
 * last row or column belongs to no window. Layout NCHW as {@link Conv2d}.
 * <pre>in, dIn: (N, C, H, W)    out, dOut: (N, C, OH, OW)</pre>
 * Backward routes each dOut element to the argmax of its window, recomputed from the saved input
 * (no index array to keep): the first maximum in row-major window order (0,0), (0,1), (1,0), (1,1)
 * wins a tie, as TensorFlow's MaxPoolGrad routes to one element only.
 */
public final class MaxPool {
    private MaxPool() {
    }

    /** out[n,c,oh,ow] = max of in[n, c, 2oh..2oh+1, 2ow..2ow+1]. Overwrites out. Range over rows n; inner over (c, oh, ow). */
    public static void forward2x2(float[] out, float[] in, int C, int H, int W, int OH, int OW, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < C * OH * OW; j++) {
                int n = start + t;
                int c = j / (OH * OW);
                int p = j - c * (OH * OW);
                int oh = p / OW;
                int ow = p - oh * OW;
                int base = (n * C + c) * H * W + 2 * oh * W + 2 * ow;
                float m = Math.max(Math.max(in[base], in[base + 1]), Math.max(in[base + W], in[base + W + 1]));
                out[n * C * OH * OW + j] = m;
            }
        }
    }

    /**
     * dIn[n,c,ih,iw] = dOut[n,c,ih/2,iw/2] if (ih, iw) is the first argmax of its window, else 0 (also 0 for
     * an odd leftover row or column). One work-item per window: its argmax once, its four dIn elements written (and
     * the leftover column or row beside the last windows), so every dIn element is written exactly once — TornadoVM
     * does not copy a write-only output in, so an element left unwritten would be garbage. Needs H, W &gt;= 2 (one
     * window at least). Overwrites dIn. Range over rows n; inner over (c, oh, ow).
     */
    public static void backward2x2(float[] dIn, float[] dOut, float[] in, int C, int H, int W, int OH, int OW,
                                   int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < C * OH * OW; j++) {
                int n = start + t;
                int c = j / (OH * OW);
                int p = j - c * (OH * OW);
                int oh = p / OW;
                int ow = p - oh * OW;
                int base = (n * C + c) * H * W + 2 * oh * W + 2 * ow;
                // first maximum in window order (0,0), (0,1), (1,0), (1,1)
                int arg = 0;
                float m = in[base];
                if (in[base + 1] > m) {
                    m = in[base + 1];
                    arg = 1;
                }
                if (in[base + W] > m) {
                    m = in[base + W];
                    arg = 2;
                }
                if (in[base + W + 1] > m) {
                    arg = 3;
                }
                float g = dOut[n * C * OH * OW + j];
                dIn[base] = arg == 0 ? g : 0.0f;
                dIn[base + 1] = arg == 1 ? g : 0.0f;
                dIn[base + W] = arg == 2 ? g : 0.0f;
                dIn[base + W + 1] = arg == 3 ? g : 0.0f;
                if (ow == OW - 1 && 2 * OW < W) {
                    dIn[base + 2] = 0.0f;
                    dIn[base + W + 2] = 0.0f;
                }
                if (oh == OH - 1 && 2 * OH < H) {
                    dIn[base + 2 * W] = 0.0f;
                    dIn[base + 2 * W + 1] = 0.0f;
                    if (ow == OW - 1 && 2 * OW < W) {
                        dIn[base + 2 * W + 2] = 0.0f;
                    }
                }
            }
        }
    }
}
