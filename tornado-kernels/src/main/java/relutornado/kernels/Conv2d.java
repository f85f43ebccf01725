package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * 2-D convolution (Keras' Conv2D: cross-correlation, stride 1, {@code valid} or {@code same} padding).
 * <pre>
 *   in:  (N, C, H, W)     W: (OC, C, KH, KW) at params[wOff]     b: (OC) at params[bOff]
 *   out: (N, OC, OH, OW)  valid: pad = 0, OH = H - KH + 1;  same: pad = (KH - 1) / 2, OH = H (odd KH)
 *   out[n,oc,oh,ow] = b[oc] + Σ_{c,kh,kw} in[n, c, oh+kh-pad, ow+kw-pad] · W[oc,c,kh,kw]   (zero outside the image)
 * </pre>
 * Layout NCHW, each row's tensor contiguous: every output element (n, oc, oh, ow) is one GPU thread
 * and consecutive threads write (and mostly read) consecutive addresses; a row's tensor is one
 * contiguous block, so Flatten is a shape change only and a following Dense layer reads it as
 * C·H·W features; and it is the layout that im2col + GEMM on the CPU wants (a patch matrix of
 * (C·KH·KW) rows per image times W viewed as (OC, C·KH·KW)).
 * <p>
 * All four kernels are gather forms: each output element sums its own terms, so no two threads write
 * the same address and no atomics are needed. The valid kernel-tap range of an output position is
 * computed up front ({@code Math.max}/{@code Math.min}), so the inner loops carry no bounds tests.
 */
public final class Conv2d {
    private Conv2d() {
    }

    /**
     * Forward. Overwrites out. Range over rows n; inner {@code @Parallel} over j = (oc, oh, ow) in [0, OC·OH·OW).
     */
    public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff, int C, int H, int W,
                               int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < OC * OH * OW; j++) {
                int n = start + t;
                int oc = j / (OH * OW);
                int p = j - oc * (OH * OW);
                int oh = p / OW;
                int ow = p - oh * OW;
                // taps with 0 <= oh + kh - pad < H and 0 <= ow + kw - pad < W
                int kh0 = Math.max(0, pad - oh);
                int kh1 = Math.min(KH, H + pad - oh);
                int kw0 = Math.max(0, pad - ow);
                int kw1 = Math.min(KW, W + pad - ow);
                float acc = params[bOff + oc];
                // (c, kh) as one loop, in the order of two: the portable kernel subset has no float sum carried
                // through three nested loops
                int rows = kh1 - kh0;
                for (int ck = 0; ck < C * rows; ck++) {
                    int c = ck / rows;
                    int kh = kh0 + (ck - c * rows);
                    int inRow = (n * C + c) * H * W + (oh - pad + kh) * W + (ow - pad);
                    int wRow = wOff + (oc * C + c) * KH * KW + kh * KW;
                    for (int kw = kw0; kw < kw1; kw++) {
                        acc += in[inRow + kw] * params[wRow + kw];
                    }
                }
                out[n * OC * OH * OW + j] = acc;
            }
        }
    }

    /**
     * dIn[n,c,ih,iw] = Σ_{oc,kh,kw} dOut[n, oc, ih+pad-kh, iw+pad-kw] · W[oc,c,kh,kw] over the output
     * positions that exist. Overwrites dIn. Range over rows n; inner {@code @Parallel} over (c, ih, iw).
     */
    public static void backwardInput(float[] dIn, float[] dOut, float[] params, int wOff, int C, int H, int W,
                                     int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < C * H * W; j++) {
                int n = start + t;
                int c = j / (H * W);
                int p = j - c * (H * W);
                int ih = p / W;
                int iw = p - ih * W;
                // taps with 0 <= ih + pad - kh < OH and 0 <= iw + pad - kw < OW
                int kh0 = Im2col.firstTap(ih, pad, OH);
                int kh1 = Im2col.endTap(ih, pad, KH);
                int kw0 = Im2col.firstTap(iw, pad, OW);
                int kw1 = Im2col.endTap(iw, pad, KW);
                float acc = 0.0f;
                // (oc, kh) as one loop, in the order of two (the portable kernel subset)
                int rows = kh1 - kh0;
                for (int ok = 0; ok < OC * rows; ok++) {
                    int oc = ok / rows;
                    int kh = kh0 + (ok - oc * rows);
                    int outRow = (n * OC + oc) * OH * OW + (ih + pad - kh) * OW + (iw + pad);
                    int wRow = wOff + (oc * C + c) * KH * KW + kh * KW;
                    for (int kw = kw0; kw < kw1; kw++) {
                        acc += dOut[outRow - kw] * params[wRow + kw];
                    }
                }
                dIn[n * C * H * W + j] = acc;
            }
        }
    }

    /**
     * dW[oc,c,kh,kw] = Σ_{n,oh,ow} dOut[n,oc,oh,ow] · in[n, c, oh+kh-pad, ow+kw-pad] into grads[wOff..].
     * Overwrites. Range over output channels oc; inner {@code @Parallel} over (c, kh, kw).
     */
    public static void backwardWeights(float[] grads, float[] dOut, float[] in, int wOff, int N, int C, int H, int W,
                                       int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < C * KH * KW; j++) {
                int oc = start + t;
                int c = j / (KH * KW);
                int q = j - c * (KH * KW);
                int kh = q / KW;
                int kw = q - kh * KW;
                // output positions whose tap (kh, kw) lands inside the image
                int oh0 = Math.max(0, pad - kh);
                int oh1 = Math.min(OH, H + pad - kh);
                int ow0 = Math.max(0, pad - kw);
                int ow1 = Math.min(OW, W + pad - kw);
                float acc = 0.0f;
                // (n, oh) as one loop, in the order of two (the portable kernel subset)
                int rows = oh1 - oh0;
                for (int no = 0; no < N * rows; no++) {
                    int n = no / rows;
                    int oh = oh0 + (no - n * rows);
                    int outRow = (n * OC + oc) * OH * OW + oh * OW;
                    int inRow = (n * C + c) * H * W + (kh - pad + oh) * W + (kw - pad);
                    for (int ow = ow0; ow < ow1; ow++) {
                        acc += dOut[outRow + ow] * in[inRow + ow];
                    }
                }
                grads[wOff + oc * C * KH * KW + j] = acc;
            }
        }
    }

    /** db[oc] = Σ_{n,oh,ow} dOut[n,oc,oh,ow] into grads[bOff..]. Overwrites. Range over output channels oc. */
    public static void backwardBias(float[] grads, float[] dOut, int bOff, int N, int OC, int OH, int OW,
                                    int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int oc = start + t;
            float acc = 0.0f;
            for (int n = 0; n < N; n++) {
                int base = (n * OC + oc) * OH * OW;
                for (int p = 0; p < OH * OW; p++) {
                    acc += dOut[base + p];
                }
            }
            grads[bOff + oc] = acc;
        }
    }

    /** Output height (or width) of a stride-1 convolution: {@code size + 2·pad - kernel + 1}. */
    public static int outputSize(int size, int kernel, int pad) {
        return size + 2 * pad - kernel + 1;
    }
}
