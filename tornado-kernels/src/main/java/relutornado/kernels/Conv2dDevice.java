package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Device variants of {@link Conv2d}'s three products for OpenCL/PTX devices (the {@code tornado} engine
 * with {@code --device-kernels tuned}): same names, signatures, NCHW layouts and overwrite semantics,
 * results equal to float rounding. Implicit GEMM without an im2col buffer: each work-item owns a
 * {@value DenseDevice#T}×{@value DenseDevice#T} register tile — 4 channels × 4 consecutive positions of one
 * image (forward, backward to input) or 4 output channels × 4 (c, kh, kw) taps (backward to weights) —
 * so each step of the reduction loads 4 weights and 4 image values for 16 FMAs. The outer
 * {@code @Parallel} loop (dimension 0) runs along the positions, which are contiguous in memory. Image
 * reads outside the picture (padding) are guarded loads, and edge tiles clamp loads and guard stores, so any
 * shape works.
 */
public final class Conv2dDevice {
    private static final int T = DenseDevice.T;

    private Conv2dDevice() {
    }

    /**
     * Forward, as {@link Conv2d#forward}. Overwrites out. Range over rows n.
     * Work-items (tiles(OH·OW), count · tiles(OC)).
     */
    public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff, int C, int H, int W,
                               int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        for (@Parallel int tp = 0; tp < (OH * OW + T - 1) / T; tp++) {
            for (@Parallel int q = 0; q < count * ((OC + T - 1) / T); q++) {
                int P = OH * OW;
                int t = q / ((OC + T - 1) / T);
                int n = start + t;
                int oc0 = (q - t * ((OC + T - 1) / T)) * T;
                int oc1 = Math.min(oc0 + 1, OC - 1);
                int oc2 = Math.min(oc0 + 2, OC - 1);
                int oc3 = Math.min(oc0 + 3, OC - 1);
                int p0 = tp * T;
                int p1 = Math.min(p0 + 1, P - 1);
                int p2 = Math.min(p0 + 2, P - 1);
                int p3 = Math.min(p0 + 3, P - 1);
                // top-left input pixel of each position's window
                int y0 = p0 / OW - pad;
                int x0 = p0 - (p0 / OW) * OW - pad;
                int y1 = p1 / OW - pad;
                int x1 = p1 - (p1 / OW) * OW - pad;
                int y2 = p2 / OW - pad;
                int x2 = p2 - (p2 / OW) * OW - pad;
                int y3 = p3 / OW - pad;
                int x3 = p3 - (p3 / OW) * OW - pad;
                float a00 = 0f, a01 = 0f, a02 = 0f, a03 = 0f, a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f;
                float a20 = 0f, a21 = 0f, a22 = 0f, a23 = 0f, a30 = 0f, a31 = 0f, a32 = 0f, a33 = 0f;
                for (int c = 0; c < C; c++) {
                    int inBase = (n * C + c) * H * W;
                    for (int kh = 0; kh < KH; kh++) {
                        for (int kw = 0; kw < KW; kw++) {
                            int k = (c * KH + kh) * KW + kw;
                            int ckk = C * KH * KW;
                            float w0 = params[wOff + oc0 * ckk + k];
                            float w1 = params[wOff + oc1 * ckk + k];
                            float w2 = params[wOff + oc2 * ckk + k];
                            float w3 = params[wOff + oc3 * ckk + k];
                            float v0 = pixel(in, inBase, y0 + kh, x0 + kw, H, W);
                            float v1 = pixel(in, inBase, y1 + kh, x1 + kw, H, W);
                            float v2 = pixel(in, inBase, y2 + kh, x2 + kw, H, W);
                            float v3 = pixel(in, inBase, y3 + kh, x3 + kw, H, W);
                            a00 += w0 * v0; a01 += w0 * v1; a02 += w0 * v2; a03 += w0 * v3;
                            a10 += w1 * v0; a11 += w1 * v1; a12 += w1 * v2; a13 += w1 * v3;
                            a20 += w2 * v0; a21 += w2 * v1; a22 += w2 * v2; a23 += w2 * v3;
                            a30 += w3 * v0; a31 += w3 * v1; a32 += w3 * v2; a33 += w3 * v3;
                        }
                    }
                }
                int chans = OC - oc0;
                int cols = P - p0;
                int base = n * OC * P + p0;
                float b0 = params[bOff + oc0];
                DenseDevice.store4(out, base + oc0 * P, cols, a00 + b0, a01 + b0, a02 + b0, a03 + b0);
                if (chans > 1) {
                    float b1 = params[bOff + oc1];
                    DenseDevice.store4(out, base + oc1 * P, cols, a10 + b1, a11 + b1, a12 + b1, a13 + b1);
                }
                if (chans > 2) {
                    float b2 = params[bOff + oc2];
                    DenseDevice.store4(out, base + oc2 * P, cols, a20 + b2, a21 + b2, a22 + b2, a23 + b2);
                }
                if (chans > 3) {
                    float b3 = params[bOff + oc3];
                    DenseDevice.store4(out, base + oc3 * P, cols, a30 + b3, a31 + b3, a32 + b3, a33 + b3);
                }
            }
        }
    }

    /**
     * As {@link Conv2d#backwardInput}: dIn[n,c,ih,iw] = Σ_{oc,kh,kw} dOut[n, oc, ih+pad-kh, iw+pad-kw]·W[oc,c,kh,kw].
     * Overwrites dIn. Range over rows n. Work-items (tiles(H·W), count · tiles(C)).
     */
    public static void backwardInput(float[] dIn, float[] dOut, float[] params, int wOff, int C, int H, int W,
                                     int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        for (@Parallel int tp = 0; tp < (H * W + T - 1) / T; tp++) {
            for (@Parallel int q = 0; q < count * ((C + T - 1) / T); q++) {
                int P = H * W;
                int t = q / ((C + T - 1) / T);
                int n = start + t;
                int c0 = (q - t * ((C + T - 1) / T)) * T;
                int c1 = Math.min(c0 + 1, C - 1);
                int c2 = Math.min(c0 + 2, C - 1);
                int c3 = Math.min(c0 + 3, C - 1);
                int p0 = tp * T;
                int p1 = Math.min(p0 + 1, P - 1);
                int p2 = Math.min(p0 + 2, P - 1);
                int p3 = Math.min(p0 + 3, P - 1);
                // output position reached by tap (0, 0) from each input pixel
                int y0 = p0 / W + pad;
                int x0 = p0 - (p0 / W) * W + pad;
                int y1 = p1 / W + pad;
                int x1 = p1 - (p1 / W) * W + pad;
                int y2 = p2 / W + pad;
                int x2 = p2 - (p2 / W) * W + pad;
                int y3 = p3 / W + pad;
                int x3 = p3 - (p3 / W) * W + pad;
                float a00 = 0f, a01 = 0f, a02 = 0f, a03 = 0f, a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f;
                float a20 = 0f, a21 = 0f, a22 = 0f, a23 = 0f, a30 = 0f, a31 = 0f, a32 = 0f, a33 = 0f;
                for (int oc = 0; oc < OC; oc++) {
                    int outBase = (n * OC + oc) * OH * OW;
                    for (int kh = 0; kh < KH; kh++) {
                        for (int kw = 0; kw < KW; kw++) {
                            int kk = kh * KW + kw;
                            float w0 = params[wOff + (oc * C + c0) * KH * KW + kk];
                            float w1 = params[wOff + (oc * C + c1) * KH * KW + kk];
                            float w2 = params[wOff + (oc * C + c2) * KH * KW + kk];
                            float w3 = params[wOff + (oc * C + c3) * KH * KW + kk];
                            float v0 = pixel(dOut, outBase, y0 - kh, x0 - kw, OH, OW);
                            float v1 = pixel(dOut, outBase, y1 - kh, x1 - kw, OH, OW);
                            float v2 = pixel(dOut, outBase, y2 - kh, x2 - kw, OH, OW);
                            float v3 = pixel(dOut, outBase, y3 - kh, x3 - kw, OH, OW);
                            a00 += w0 * v0; a01 += w0 * v1; a02 += w0 * v2; a03 += w0 * v3;
                            a10 += w1 * v0; a11 += w1 * v1; a12 += w1 * v2; a13 += w1 * v3;
                            a20 += w2 * v0; a21 += w2 * v1; a22 += w2 * v2; a23 += w2 * v3;
                            a30 += w3 * v0; a31 += w3 * v1; a32 += w3 * v2; a33 += w3 * v3;
                        }
                    }
                }
                int chans = C - c0;
                int cols = P - p0;
                int base = n * C * P + p0;
                DenseDevice.store4(dIn, base + c0 * P, cols, a00, a01, a02, a03);
                if (chans > 1) {
                    DenseDevice.store4(dIn, base + c1 * P, cols, a10, a11, a12, a13);
                }
                if (chans > 2) {
                    DenseDevice.store4(dIn, base + c2 * P, cols, a20, a21, a22, a23);
                }
                if (chans > 3) {
                    DenseDevice.store4(dIn, base + c3 * P, cols, a30, a31, a32, a33);
                }
            }
        }
    }

    /**
     * As {@link Conv2d#backwardWeights}: dW[oc,c,kh,kw] = Σ_{n,oh,ow} dOut[n,oc,oh,ow]·in[n, c, oh+kh-pad, ow+kw-pad]
     * into grads[wOff..]. Overwrites. Range over output channels oc. Work-items (tiles(C·KH·KW), tiles(count)).
     */
    public static void backwardWeights(float[] grads, float[] dOut, float[] in, int wOff, int N, int C, int H, int W,
                                       int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        for (@Parallel int tk = 0; tk < (C * KH * KW + T - 1) / T; tk++) {
            for (@Parallel int to = 0; to < (count + T - 1) / T; to++) {
                int ckk = C * KH * KW;
                int last = start + count - 1;
                int oc0 = start + to * T;
                int oc1 = Math.min(oc0 + 1, last);
                int oc2 = Math.min(oc0 + 2, last);
                int oc3 = Math.min(oc0 + 3, last);
                int k0 = tk * T;
                int k1 = Math.min(k0 + 1, ckk - 1);
                int k2 = Math.min(k0 + 2, ckk - 1);
                int k3 = Math.min(k0 + 3, ckk - 1);
                // each tap (c, kh, kw): its channel's offset and its shift in the image
                int c0 = k0 / (KH * KW);
                int kh0 = (k0 - c0 * KH * KW) / KW;
                int kw0 = k0 - c0 * KH * KW - kh0 * KW;
                int c1 = k1 / (KH * KW);
                int kh1 = (k1 - c1 * KH * KW) / KW;
                int kw1 = k1 - c1 * KH * KW - kh1 * KW;
                int c2 = k2 / (KH * KW);
                int kh2 = (k2 - c2 * KH * KW) / KW;
                int kw2 = k2 - c2 * KH * KW - kh2 * KW;
                int c3 = k3 / (KH * KW);
                int kh3 = (k3 - c3 * KH * KW) / KW;
                int kw3 = k3 - c3 * KH * KW - kh3 * KW;
                float a00 = 0f, a01 = 0f, a02 = 0f, a03 = 0f, a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f;
                float a20 = 0f, a21 = 0f, a22 = 0f, a23 = 0f, a30 = 0f, a31 = 0f, a32 = 0f, a33 = 0f;
                for (int n = 0; n < N; n++) {
                    int imgBase = n * C * H * W;
                    for (int oh = 0; oh < OH; oh++) {
                        for (int ow = 0; ow < OW; ow++) {
                            int at = oh * OW + ow;
                            float d0 = dOut[(n * OC + oc0) * OH * OW + at];
                            float d1 = dOut[(n * OC + oc1) * OH * OW + at];
                            float d2 = dOut[(n * OC + oc2) * OH * OW + at];
                            float d3 = dOut[(n * OC + oc3) * OH * OW + at];
                            float v0 = pixel(in, imgBase + c0 * H * W, oh + kh0 - pad, ow + kw0 - pad, H, W);
                            float v1 = pixel(in, imgBase + c1 * H * W, oh + kh1 - pad, ow + kw1 - pad, H, W);
                            float v2 = pixel(in, imgBase + c2 * H * W, oh + kh2 - pad, ow + kw2 - pad, H, W);
                            float v3 = pixel(in, imgBase + c3 * H * W, oh + kh3 - pad, ow + kw3 - pad, H, W);
                            a00 += d0 * v0; a01 += d0 * v1; a02 += d0 * v2; a03 += d0 * v3;
                            a10 += d1 * v0; a11 += d1 * v1; a12 += d1 * v2; a13 += d1 * v3;
                            a20 += d2 * v0; a21 += d2 * v1; a22 += d2 * v2; a23 += d2 * v3;
                            a30 += d3 * v0; a31 += d3 * v1; a32 += d3 * v2; a33 += d3 * v3;
                        }
                    }
                }
                int chans = last - oc0 + 1;
                int cols = ckk - k0;
                DenseDevice.store4(grads, wOff + oc0 * ckk + k0, cols, a00, a01, a02, a03);
                if (chans > 1) {
                    DenseDevice.store4(grads, wOff + oc1 * ckk + k0, cols, a10, a11, a12, a13);
                }
                if (chans > 2) {
                    DenseDevice.store4(grads, wOff + oc2 * ckk + k0, cols, a20, a21, a22, a23);
                }
                if (chans > 3) {
                    DenseDevice.store4(grads, wOff + oc3 * ckk + k0, cols, a30, a31, a32, a33);
                }
            }
        }
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
