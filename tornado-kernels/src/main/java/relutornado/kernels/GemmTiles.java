package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * A matrix product with scalar register tiles whose size is a kernel argument: the tiles family of
 * {@code relutornado.engine.KernelVariants} (the engine's {@code VectorVariants} maps each product kernel onto it, the
 * convolutions through {@link Im2col}). Each work-item owns tm rows × tn columns of C, 1 &lt;= tm, tn &lt;= {@value #MAX};
 * per step of the reduction it loads tm values of A and tn of B for tm·tn FMAs.
 * <pre>
 *   c[cOff + i·cis + j·cjs] = (mode 1 ? c[…] : bias(j)) + Σ_k A(i,k)·B(k,j)
 *        rows i in [start, start + count), columns j &lt; cols (mode 1: only j ≥ i, the upper triangle), k &lt; K
 *   A(i,k) = a[i·ais + k·aks]   B(k,j) = b[bOff + k·bks + j·bjs]   bias(j) = biasOff &lt; 0 ? 0 : b[biasOff + j]
 *   work-items ⌈cols/tn⌉ (dim 0, columns) × ⌈count/tm⌉ (dim 1, rows)
 * </pre>
 * The accumulators are {@value #MAX}×{@value #MAX} scalars, each load, FMA and store guarded by {@code tm > r} /
 * {@code tn > q}: TornadoVM compiles scalar arguments in as constants, so the guards fold and the compiled kernel holds
 * exactly the chosen tile (the generated OpenCL C has no dead accumulators). Edge tiles: loads clamp their row and
 * column to the last valid one (always in bounds, no branch in the reduction) and stores are guarded, so any shape
 * works. As {@code GemmLocal}, the bias lives in B's array and A starts at its array's start (TornadoVM takes at most
 * 20 task arguments). The sums run over k in order from zero, the bias added last, as the earlier 4×4 tile kernels did.
 * Arguments as in {@code GemmLocal.gemm}; plain Java on the JVM.
 */
public final class GemmTiles {
    /** The largest register tile edge (rows or columns per work-item). */
    public static final int MAX = 8;

    private GemmTiles() {
    }

    /** Work-items covering n elements with tiles of {@code tile} (a launch dimension). */
    public static int tiles(int n, int tile) {
        return (n + tile - 1) / tile;
    }

    /** C = bias + A·B (mode 0, overwrites) or C += A·B on the upper triangle (mode 1); see the class comment. */
    public static void gemm(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int ais, int aks,
                            float[] b, int bOff, int bks, int bjs, int K, int biasOff, int mode, int tm, int tn, int start, int count) {
        for (@Parallel int tj = 0; tj < (cols + tn - 1) / tn; tj++) {
            for (@Parallel int ti = 0; ti < (count + tm - 1) / tm; ti++) {
                int i0 = start + ti * tm;
                int last = start + count - 1;
                int j0 = tj * tn;
                int ar0 = i0 * ais;
                int ar1 = Math.min(i0 + 1, last) * ais;
                int ar2 = Math.min(i0 + 2, last) * ais;
                int ar3 = Math.min(i0 + 3, last) * ais;
                int ar4 = Math.min(i0 + 4, last) * ais;
                int ar5 = Math.min(i0 + 5, last) * ais;
                int ar6 = Math.min(i0 + 6, last) * ais;
                int ar7 = Math.min(i0 + 7, last) * ais;
                int bc0 = bOff + j0 * bjs;
                int bc1 = bOff + Math.min(j0 + 1, cols - 1) * bjs;
                int bc2 = bOff + Math.min(j0 + 2, cols - 1) * bjs;
                int bc3 = bOff + Math.min(j0 + 3, cols - 1) * bjs;
                int bc4 = bOff + Math.min(j0 + 4, cols - 1) * bjs;
                int bc5 = bOff + Math.min(j0 + 5, cols - 1) * bjs;
                int bc6 = bOff + Math.min(j0 + 6, cols - 1) * bjs;
                int bc7 = bOff + Math.min(j0 + 7, cols - 1) * bjs;
                float a00 = 0f, a01 = 0f, a02 = 0f, a03 = 0f, a04 = 0f, a05 = 0f, a06 = 0f, a07 = 0f;
                float a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f, a14 = 0f, a15 = 0f, a16 = 0f, a17 = 0f;
                float a20 = 0f, a21 = 0f, a22 = 0f, a23 = 0f, a24 = 0f, a25 = 0f, a26 = 0f, a27 = 0f;
                float a30 = 0f, a31 = 0f, a32 = 0f, a33 = 0f, a34 = 0f, a35 = 0f, a36 = 0f, a37 = 0f;
                float a40 = 0f, a41 = 0f, a42 = 0f, a43 = 0f, a44 = 0f, a45 = 0f, a46 = 0f, a47 = 0f;
                float a50 = 0f, a51 = 0f, a52 = 0f, a53 = 0f, a54 = 0f, a55 = 0f, a56 = 0f, a57 = 0f;
                float a60 = 0f, a61 = 0f, a62 = 0f, a63 = 0f, a64 = 0f, a65 = 0f, a66 = 0f, a67 = 0f;
                float a70 = 0f, a71 = 0f, a72 = 0f, a73 = 0f, a74 = 0f, a75 = 0f, a76 = 0f, a77 = 0f;
                for (int k = 0; k < K; k++) {
                    int ak = k * aks;
                    int bk = k * bks;
                    float x0 = a[ar0 + ak];
                    float x1 = tm > 1 ? a[ar1 + ak] : 0f;
                    float x2 = tm > 2 ? a[ar2 + ak] : 0f;
                    float x3 = tm > 3 ? a[ar3 + ak] : 0f;
                    float x4 = tm > 4 ? a[ar4 + ak] : 0f;
                    float x5 = tm > 5 ? a[ar5 + ak] : 0f;
                    float x6 = tm > 6 ? a[ar6 + ak] : 0f;
                    float x7 = tm > 7 ? a[ar7 + ak] : 0f;
                    float w0 = b[bc0 + bk];
                    float w1 = tn > 1 ? b[bc1 + bk] : 0f;
                    float w2 = tn > 2 ? b[bc2 + bk] : 0f;
                    float w3 = tn > 3 ? b[bc3 + bk] : 0f;
                    float w4 = tn > 4 ? b[bc4 + bk] : 0f;
                    float w5 = tn > 5 ? b[bc5 + bk] : 0f;
                    float w6 = tn > 6 ? b[bc6 + bk] : 0f;
                    float w7 = tn > 7 ? b[bc7 + bk] : 0f;
                    a00 += x0 * w0;
                    if (tn > 1) { a01 += x0 * w1; }
                    if (tn > 2) { a02 += x0 * w2; }
                    if (tn > 3) { a03 += x0 * w3; }
                    if (tn > 4) { a04 += x0 * w4; }
                    if (tn > 5) { a05 += x0 * w5; }
                    if (tn > 6) { a06 += x0 * w6; }
                    if (tn > 7) { a07 += x0 * w7; }
                    if (tm > 1) { a10 += x1 * w0; }
                    if (tm > 1 && tn > 1) { a11 += x1 * w1; }
                    if (tm > 1 && tn > 2) { a12 += x1 * w2; }
                    if (tm > 1 && tn > 3) { a13 += x1 * w3; }
                    if (tm > 1 && tn > 4) { a14 += x1 * w4; }
                    if (tm > 1 && tn > 5) { a15 += x1 * w5; }
                    if (tm > 1 && tn > 6) { a16 += x1 * w6; }
                    if (tm > 1 && tn > 7) { a17 += x1 * w7; }
                    if (tm > 2) { a20 += x2 * w0; }
                    if (tm > 2 && tn > 1) { a21 += x2 * w1; }
                    if (tm > 2 && tn > 2) { a22 += x2 * w2; }
                    if (tm > 2 && tn > 3) { a23 += x2 * w3; }
                    if (tm > 2 && tn > 4) { a24 += x2 * w4; }
                    if (tm > 2 && tn > 5) { a25 += x2 * w5; }
                    if (tm > 2 && tn > 6) { a26 += x2 * w6; }
                    if (tm > 2 && tn > 7) { a27 += x2 * w7; }
                    if (tm > 3) { a30 += x3 * w0; }
                    if (tm > 3 && tn > 1) { a31 += x3 * w1; }
                    if (tm > 3 && tn > 2) { a32 += x3 * w2; }
                    if (tm > 3 && tn > 3) { a33 += x3 * w3; }
                    if (tm > 3 && tn > 4) { a34 += x3 * w4; }
                    if (tm > 3 && tn > 5) { a35 += x3 * w5; }
                    if (tm > 3 && tn > 6) { a36 += x3 * w6; }
                    if (tm > 3 && tn > 7) { a37 += x3 * w7; }
                    if (tm > 4) { a40 += x4 * w0; }
                    if (tm > 4 && tn > 1) { a41 += x4 * w1; }
                    if (tm > 4 && tn > 2) { a42 += x4 * w2; }
                    if (tm > 4 && tn > 3) { a43 += x4 * w3; }
                    if (tm > 4 && tn > 4) { a44 += x4 * w4; }
                    if (tm > 4 && tn > 5) { a45 += x4 * w5; }
                    if (tm > 4 && tn > 6) { a46 += x4 * w6; }
                    if (tm > 4 && tn > 7) { a47 += x4 * w7; }
                    if (tm > 5) { a50 += x5 * w0; }
                    if (tm > 5 && tn > 1) { a51 += x5 * w1; }
                    if (tm > 5 && tn > 2) { a52 += x5 * w2; }
                    if (tm > 5 && tn > 3) { a53 += x5 * w3; }
                    if (tm > 5 && tn > 4) { a54 += x5 * w4; }
                    if (tm > 5 && tn > 5) { a55 += x5 * w5; }
                    if (tm > 5 && tn > 6) { a56 += x5 * w6; }
                    if (tm > 5 && tn > 7) { a57 += x5 * w7; }
                    if (tm > 6) { a60 += x6 * w0; }
                    if (tm > 6 && tn > 1) { a61 += x6 * w1; }
                    if (tm > 6 && tn > 2) { a62 += x6 * w2; }
                    if (tm > 6 && tn > 3) { a63 += x6 * w3; }
                    if (tm > 6 && tn > 4) { a64 += x6 * w4; }
                    if (tm > 6 && tn > 5) { a65 += x6 * w5; }
                    if (tm > 6 && tn > 6) { a66 += x6 * w6; }
                    if (tm > 6 && tn > 7) { a67 += x6 * w7; }
                    if (tm > 7) { a70 += x7 * w0; }
                    if (tm > 7 && tn > 1) { a71 += x7 * w1; }
                    if (tm > 7 && tn > 2) { a72 += x7 * w2; }
                    if (tm > 7 && tn > 3) { a73 += x7 * w3; }
                    if (tm > 7 && tn > 4) { a74 += x7 * w4; }
                    if (tm > 7 && tn > 5) { a75 += x7 * w5; }
                    if (tm > 7 && tn > 6) { a76 += x7 * w6; }
                    if (tm > 7 && tn > 7) { a77 += x7 * w7; }
                }
                // the bias of each column (0 without one; the upper-triangle mode accumulates and has none)
                float b0 = mode == 0 && biasOff >= 0 ? b[biasOff + j0] : 0f;
                float b1 = tn > 1 && mode == 0 && biasOff >= 0 ? b[biasOff + Math.min(j0 + 1, cols - 1)] : 0f;
                float b2 = tn > 2 && mode == 0 && biasOff >= 0 ? b[biasOff + Math.min(j0 + 2, cols - 1)] : 0f;
                float b3 = tn > 3 && mode == 0 && biasOff >= 0 ? b[biasOff + Math.min(j0 + 3, cols - 1)] : 0f;
                float b4 = tn > 4 && mode == 0 && biasOff >= 0 ? b[biasOff + Math.min(j0 + 4, cols - 1)] : 0f;
                float b5 = tn > 5 && mode == 0 && biasOff >= 0 ? b[biasOff + Math.min(j0 + 5, cols - 1)] : 0f;
                float b6 = tn > 6 && mode == 0 && biasOff >= 0 ? b[biasOff + Math.min(j0 + 6, cols - 1)] : 0f;
                float b7 = tn > 7 && mode == 0 && biasOff >= 0 ? b[biasOff + Math.min(j0 + 7, cols - 1)] : 0f;
                int rows = last - i0 + 1;
                int valid = Math.min(tn, cols - j0);
                storeRow(c, cOff + (i0 + 0) * cis + j0 * cjs, cjs, tn, valid, mode == 1 ? i0 + 0 - j0 : 0, mode,
                        a00 + b0, a01 + b1, a02 + b2, a03 + b3, a04 + b4, a05 + b5, a06 + b6, a07 + b7);
                if (tm > 1 && rows > 1) {
                    storeRow(c, cOff + (i0 + 1) * cis + j0 * cjs, cjs, tn, valid, mode == 1 ? i0 + 1 - j0 : 0, mode,
                            a10 + b0, a11 + b1, a12 + b2, a13 + b3, a14 + b4, a15 + b5, a16 + b6, a17 + b7);
                }
                if (tm > 2 && rows > 2) {
                    storeRow(c, cOff + (i0 + 2) * cis + j0 * cjs, cjs, tn, valid, mode == 1 ? i0 + 2 - j0 : 0, mode,
                            a20 + b0, a21 + b1, a22 + b2, a23 + b3, a24 + b4, a25 + b5, a26 + b6, a27 + b7);
                }
                if (tm > 3 && rows > 3) {
                    storeRow(c, cOff + (i0 + 3) * cis + j0 * cjs, cjs, tn, valid, mode == 1 ? i0 + 3 - j0 : 0, mode,
                            a30 + b0, a31 + b1, a32 + b2, a33 + b3, a34 + b4, a35 + b5, a36 + b6, a37 + b7);
                }
                if (tm > 4 && rows > 4) {
                    storeRow(c, cOff + (i0 + 4) * cis + j0 * cjs, cjs, tn, valid, mode == 1 ? i0 + 4 - j0 : 0, mode,
                            a40 + b0, a41 + b1, a42 + b2, a43 + b3, a44 + b4, a45 + b5, a46 + b6, a47 + b7);
                }
                if (tm > 5 && rows > 5) {
                    storeRow(c, cOff + (i0 + 5) * cis + j0 * cjs, cjs, tn, valid, mode == 1 ? i0 + 5 - j0 : 0, mode,
                            a50 + b0, a51 + b1, a52 + b2, a53 + b3, a54 + b4, a55 + b5, a56 + b6, a57 + b7);
                }
                if (tm > 6 && rows > 6) {
                    storeRow(c, cOff + (i0 + 6) * cis + j0 * cjs, cjs, tn, valid, mode == 1 ? i0 + 6 - j0 : 0, mode,
                            a60 + b0, a61 + b1, a62 + b2, a63 + b3, a64 + b4, a65 + b5, a66 + b6, a67 + b7);
                }
                if (tm > 7 && rows > 7) {
                    storeRow(c, cOff + (i0 + 7) * cis + j0 * cjs, cjs, tn, valid, mode == 1 ? i0 + 7 - j0 : 0, mode,
                            a70 + b0, a71 + b1, a72 + b2, a73 + b3, a74 + b4, a75 + b5, a76 + b6, a77 + b7);
                }
            }
        }
    }

    /** Writes (mode 0) or adds (mode 1) v0..v7 at at + q·cjs for columns q in [from, valid) of one tile row (q &lt; tn spelled out, so it folds). */
    private static void storeRow(float[] c, int at, int cjs, int tn, int valid, int from, int mode,
                                 float v0, float v1, float v2, float v3, float v4, float v5, float v6, float v7) {
        if (valid > 0 && from <= 0) {
            put(c, at, v0, mode);
        }
        if (tn > 1 && valid > 1 && from <= 1) {
            put(c, at + 1 * cjs, v1, mode);
        }
        if (tn > 2 && valid > 2 && from <= 2) {
            put(c, at + 2 * cjs, v2, mode);
        }
        if (tn > 3 && valid > 3 && from <= 3) {
            put(c, at + 3 * cjs, v3, mode);
        }
        if (tn > 4 && valid > 4 && from <= 4) {
            put(c, at + 4 * cjs, v4, mode);
        }
        if (tn > 5 && valid > 5 && from <= 5) {
            put(c, at + 5 * cjs, v5, mode);
        }
        if (tn > 6 && valid > 6 && from <= 6) {
            put(c, at + 6 * cjs, v6, mode);
        }
        if (tn > 7 && valid > 7 && from <= 7) {
            put(c, at + 7 * cjs, v7, mode);
        }
    }

    private static void put(float[] c, int at, float v, int mode) {
        if (mode == 0) {
            c[at] = v;
        } else {
            c[at] = c[at] + v;
        }
    }
}
