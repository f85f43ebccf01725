package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Patch matrices and layout changes that let a convolution run as matrix products (the device's vector variants
 * of {@link Conv2d}, see the TornadoVM engine's {@code VectorVariants}). Shapes as in {@link Conv2d}, and
 * <pre>
 *   P = OH·OW output positions, T = C·KH·KW taps, tap = (c·KH + kh)·KW + kw
 *   patches: (N·P, T)   patches[n·P + p, tap] = in[n, c, oh+kh-pad, ow+kw-pad]   (p = oh·OW + ow; 0 outside the image)
 * </pre>
 * With the rows of all images stacked, a convolution is one product per direction: out = patches·Wᵀ (then the
 * inner dimensions swapped to NCHW), dPatches = dOut·W (dOut swapped to (N, P, OC) first), dWᵀ = patchesᵀ·dOut.
 * All gather forms (each output element written by one work-item), no atomics.
 */
public final class Im2col {
    private Im2col() {
    }

    /**
     * The patch matrix of rows n (im2col: one row of T taps per output position). Overwrites those rows. Range over
     * rows n; one work-item per output position writes its T taps in order.
     */
    public static void patches(float[] patches, float[] in, int C, int H, int W, int KH, int KW, int pad, int OH, int OW,
                               int start, int count) {
        for (@Parallel int t = 0; t < count * OH * OW; t++) {
            int n = start + t / (OH * OW);
            int p = t - (n - start) * (OH * OW);
            int oh = p / OW;
            int ow = p - oh * OW;
            int o = (n * OH * OW + p) * C * KH * KW;
            for (int c = 0; c < C; c++) {
                for (int kh = 0; kh < KH; kh++) {
                    int ih = oh + kh - pad;
                    for (int kw = 0; kw < KW; kw++) {
                        int iw = ow + kw - pad;
                        // zero outside the picture, tested the portable way (pixel)
                        patches[o + (c * KH + kh) * KW + kw] = pixel(in, (n * C + c) * H * W, ih, iw, H, W);
                    }
                }
            }
        }
    }

    /**
     * The inverse gather (col2im): dIn[n,c,ih,iw] = Σ_{kh,kw} dPatches[n, (ih+pad-kh, iw+pad-kw), (c,kh,kw)] over the
     * output positions that exist. Overwrites dIn. Range over rows n; dimension 0 runs over channels, so neighbouring
     * work-items read neighbouring taps of the same patch rows.
     */
    public static void gather(float[] dIn, float[] dPatches, int C, int H, int W, int KH, int KW, int pad, int OH, int OW,
                              int start, int count) {
        for (@Parallel int c = 0; c < C; c++) {
            for (@Parallel int t = 0; t < count * H * W; t++) {
                int n = start + t / (H * W);
                int r = t - (n - start) * (H * W);
                int ih = r / W;
                int iw = r - ih * W;
                float acc = 0.0f;
                for (int kh = firstTap(ih, pad, OH); kh < endTap(ih, pad, KH); kh++) {
                    for (int kw = firstTap(iw, pad, OW); kw < endTap(iw, pad, KW); kw++) {
                        int p = (ih + pad - kh) * OW + (iw + pad - kw);
                        acc += dPatches[(n * OH * OW + p) * C * KH * KW + (c * KH + kh) * KW + kw];
                    }
                }
                dIn[(n * C + c) * H * W + r] = acc;
            }
        }
    }

    /**
     * Swaps the two inner dimensions of rows n: dst (N, B, A) from src (N, A, B). Overwrites those rows. Range over rows n;
     * one work-item per (n, b) writes its A outputs in order, neighbouring work-items read neighbouring b.
     */
    public static void transposeInner(float[] dst, float[] src, int A, int B, int start, int count) {
        for (@Parallel int b = 0; b < B; b++) {
            for (@Parallel int t = 0; t < count; t++) {
                int base = (start + t) * A * B;
                for (int a = 0; a < A; a++) {
                    dst[base + b * A + a] = src[base + a * B + b];
                }
            }
        }
    }

    /**
     * The weights (OC, C, KH, KW) with each row's taps reordered to (kh, kw, c): dst[oc·T + (kh·KW + kw)·C + c] =
     * w[wOff + oc·T + (c·KH + kh)·KW + kw]. A product over the reordered weights gives a patch gradient whose channels
     * of one position are contiguous (what {@code Col2imVector.gather16} reads). Overwrites rows oc; range over oc.
     */
    public static void permuteTaps(float[] dst, float[] w, int wOff, int C, int KH, int KW, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int oc = start + t;
            int T = C * KH * KW;
            for (int c = 0; c < C; c++) {
                for (int k = 0; k < KH * KW; k++) {
                    dst[oc * T + k * C + c] = w[wOff + oc * T + c * KH * KW + k];
                }
            }
        }
    }

    /**
     * The first tap k of a kernel dimension whose output position i + pad - k exists (&lt; O): col2im and the
     * convolution's backward to input sum taps [firstTap, endTap).
     */
    public static int firstTap(int i, int pad, int O) {
        return Math.max(0, i + pad - O + 1);
    }

    /** One past the last tap k whose output position i + pad - k exists (&gt;= 0), at most K. */
    public static int endTap(int i, int pad, int K) {
        return Math.min(K, i + pad + 1);
    }

    /** img[base + y·w + x], or 0 outside the h×w picture (zero padding). */
    static float pixel(float[] img, int base, int y, int x, int h, int w) {
        // inside the picture iff clamping changes neither y nor x: one integer equality instead of the && chain
        // 0 <= y < h && 0 <= x < w, which Graal folds into unsigned compares that TornadoVM 5.2's SPIR-V backend emits
        // as signed ones (the portable kernel subset)
        int moved = (Math.min(Math.max(y, 0), h - 1) - y) | (Math.min(Math.max(x, 0), w - 1) - x);
        float v = 0f;
        if (moved == 0) {
            v = img[base + y * w + x];
        }
        return v;
    }
}
