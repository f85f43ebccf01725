package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Patch matrices and layout changes that let a convolution run as matrix products (the device's vector variants
 * of {@link Conv2d}, see the TornadoVM engine's {@code VectorVariants}). Shapes as in {@link Conv2d}, and
 * <pre>
 *   P = OH·OW output positions, T = C·KH·KW taps, tap = (c·KH + kh)·KW + kw
 *   patches: (N, P, T)   patches[n, p = (oh, ow), tap] = in[n, c, oh+kh-pad, ow+kw-pad]   (0 outside the image)
 * </pre>
 * All gather forms (each output element written by one work-item), no atomics.
 */
public final class Im2col {
    private Im2col() {
    }

    /** The patch matrix of rows n (im2col, one row of taps per output position). Overwrites those rows. Range over rows n. */
    public static void patches(float[] patches, float[] in, int C, int H, int W, int KH, int KW, int pad, int OH, int OW,
                               int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int e = 0; e < OH * OW * C * KH * KW; e++) {
                int n = start + t;
                int T = C * KH * KW;
                int p = e / T;
                int tap = e - p * T;
                int oh = p / OW;
                int ow = p - oh * OW;
                int c = tap / (KH * KW);
                int q = tap - c * (KH * KW);
                int kh = q / KW;
                int kw = q - kh * KW;
                int ih = oh + kh - pad;
                int iw = ow + kw - pad;
                float v = 0.0f;
                if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                    v = in[((n * C + c) * H + ih) * W + iw];
                }
                patches[n * OH * OW * T + e] = v;
            }
        }
    }

    /**
     * The inverse gather (col2im): dIn[n,c,ih,iw] = Σ_{kh,kw} dPatches[n, (ih+pad-kh, iw+pad-kw), (c,kh,kw)] over the
     * output positions that exist. Overwrites dIn. Range over rows n.
     */
    public static void gather(float[] dIn, float[] dPatches, int C, int H, int W, int KH, int KW, int pad, int OH, int OW,
                              int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < C * H * W; j++) {
                int n = start + t;
                int T = C * KH * KW;
                int c = j / (H * W);
                int r = j - c * (H * W);
                int ih = r / W;
                int iw = r - ih * W;
                int kh0 = Math.max(0, ih + pad - OH + 1);
                int kh1 = Math.min(KH, ih + pad + 1);
                int kw0 = Math.max(0, iw + pad - OW + 1);
                int kw1 = Math.min(KW, iw + pad + 1);
                float acc = 0.0f;
                for (int kh = kh0; kh < kh1; kh++) {
                    for (int kw = kw0; kw < kw1; kw++) {
                        int p = (ih + pad - kh) * OW + (iw + pad - kw);
                        acc += dPatches[(n * OH * OW + p) * T + (c * KH + kh) * KW + kw];
                    }
                }
                dIn[n * C * H * W + j] = acc;
            }
        }
    }

    /** Swaps the two outer dimensions: dst (A, B, S) from src (B, A, S). Overwrites. Range over a. */
    public static void swapOuter(float[] dst, float[] src, int A, int B, int S, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int e = 0; e < B * S; e++) {
                int a = start + t;
                int b = e / S;
                int s = e - b * S;
                dst[a * B * S + e] = src[(b * A + a) * S + s];
            }
        }
    }

    /**
     * Convolution weights as a (T, OC) matrix with the bias as one more row:
     * dst[tap·OC + oc] = W[oc, tap] (params[wOff + oc·T + tap]), dst[T·OC + oc] = b[oc]. Overwrites. Range over oc.
     */
    public static void packWeights(float[] dst, float[] params, int wOff, int bOff, int T, int OC, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int tap = 0; tap < T + 1; tap++) {
                int oc = start + t;
                if (tap < T) {
                    dst[tap * OC + oc] = params[wOff + oc * T + tap];
                } else {
                    dst[T * OC + oc] = params[bOff + oc];
                }
            }
        }
    }
}
