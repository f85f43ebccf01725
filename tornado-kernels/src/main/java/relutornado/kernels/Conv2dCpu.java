package relutornado.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU variants of {@link Conv2d}'s three products for the {@code java-parallel} engine: im2col + the
 * packed Vector API GEMM of {@link CpuGemm}, over blocks of R rows at once so that even a 2×2 output map
 * gives the GEMM a wide matrix. Same names, signatures, NCHW layouts and overwrite semantics as
 * {@link Conv2d}; results agree to float rounding. {@code backwardBias} sums with the Vector API.
 * <pre>
 *   col   (C·KH·KW, R·P)  col[(c,kh,kw), (r,oh,ow)] = in[n0+r, c, oh+kh-pad, ow+kw-pad] (0 outside), P = OH·OW
 *   forward:          out (OC, R·P) = W (OC, CKK) · col,   then scattered to NCHW plus the bias
 *   backwardInput:    dcol (CKK, R·P) = Wᵀ · dOut (OC, R·P),   then col2im adds dcol into dIn
 *   backwardWeights:  dW (OCrange, CKK) += dOut (OCrange, R·P) · colᵀ, block by block over all N rows
 * </pre>
 */
public final class Conv2dCpu {
    private Conv2dCpu() {
    }

    /** Floats of a col block: rows per block are chosen to keep col near this size (8 MB). */
    private static final int COL_FLOATS = 1 << 21;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    /** Rows per block for a col of CKK·P floats per row. */
    private static int rowsPerBlock(int ckk, int p, int rows) {
        return Math.max(1, Math.min(rows, COL_FLOATS / Math.max(1, ckk * p)));
    }

    /** Thread-local scratch i (0: col, 1: the GEMM's other operand), at least n floats. */
    private static float[] scratch(int i, int n) {
        float[][] s = SCRATCH.get();
        if (s[i].length < n) {
            s[i] = new float[n];
        }
        return s[i];
    }

    /** Forward, as {@link Conv2d#forward}: rows [start, start+count). Overwrites out. */
    public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff, int C, int H, int W,
                               int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        int ckk = C * KH * KW, P = OH * OW;
        int R = rowsPerBlock(ckk, P, count);
        for (int n0 = start; n0 < start + count; n0 += R) {
            int rows = Math.min(R, start + count - n0);
            int rp = rows * P;
            float[] col = scratch(0, ckk * rp);
            im2col(col, in, n0, rows, C, H, W, KH, KW, pad, OH, OW);
            float[] prod = scratch(1, OC * rp);
            Arrays.fill(prod, 0, OC * rp, 0f);
            CpuGemm.gemm(OC, rp, ckk, params, wOff, ckk, 1, col, 0, rp, 1, prod, 0, rp);
            for (int r = 0; r < rows; r++) {
                for (int oc = 0; oc < OC; oc++) {
                    float b = params[bOff + oc];
                    int dst = ((n0 + r) * OC + oc) * P, src = oc * rp + r * P;
                    for (int p = 0; p < P; p++) {
                        out[dst + p] = prod[src + p] + b;
                    }
                }
            }
        }
    }

    /** Input gradient, as {@link Conv2d#backwardInput}: rows [start, start+count). Overwrites dIn. */
    public static void backwardInput(float[] dIn, float[] dOut, float[] params, int wOff, int C, int H, int W,
                                     int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        int ckk = C * KH * KW, P = OH * OW;
        int R = rowsPerBlock(ckk, P, count);
        Arrays.fill(dIn, start * C * H * W, (start + count) * C * H * W, 0f);
        for (int n0 = start; n0 < start + count; n0 += R) {
            int rows = Math.min(R, start + count - n0);
            int rp = rows * P;
            float[] g = scratch(1, OC * rp);
            gatherRows(g, dOut, n0, rows, OC, P);
            float[] dcol = scratch(0, ckk * rp);
            Arrays.fill(dcol, 0, ckk * rp, 0f);
            // A = Wᵀ: A[ckk, oc] = W[oc, ckk]
            CpuGemm.gemm(ckk, rp, OC, params, wOff, 1, ckk, g, 0, rp, 1, dcol, 0, rp);
            col2imAdd(dIn, dcol, n0, rows, C, H, W, KH, KW, pad, OH, OW);
        }
    }

    /** Weight gradient, as {@link Conv2d#backwardWeights}: output channels [start, start+count), all N rows. Overwrites. */
    public static void backwardWeights(float[] grads, float[] dOut, float[] in, int wOff, int N, int C, int H, int W,
                                       int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        int ckk = C * KH * KW, P = OH * OW;
        int R = rowsPerBlock(ckk, P, N);
        Arrays.fill(grads, wOff + start * ckk, wOff + (start + count) * ckk, 0f);
        for (int n0 = 0; n0 < N; n0 += R) {
            int rows = Math.min(R, N - n0);
            int rp = rows * P;
            float[] col = scratch(0, ckk * rp);
            im2col(col, in, n0, rows, C, H, W, KH, KW, pad, OH, OW);
            float[] g = scratch(1, count * rp);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < count; i++) {
                    System.arraycopy(dOut, ((n0 + r) * OC + start + i) * P, g, i * rp + r * P, P);
                }
            }
            // B = colᵀ: B[(r,p), ckk] = col[ckk, (r,p)]
            CpuGemm.gemm(count, ckk, rp, g, 0, rp, 1, col, 0, 1, rp, grads, wOff + start * ckk, ckk);
        }
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Bias gradient, as {@link Conv2d#backwardBias}: output channels [start, start+count). Overwrites. */
    public static void backwardBias(float[] grads, float[] dOut, int bOff, int N, int OC, int OH, int OW,
                                    int start, int count) {
        int P = OH * OW, L = S.length();
        for (int oc = start; oc < start + count; oc++) {
            FloatVector acc = FloatVector.zero(S);
            float tail = 0.0f;
            for (int n = 0; n < N; n++) {
                int base = (n * OC + oc) * P, p = 0;
                for (; p <= P - L; p += L) {
                    acc = acc.add(FloatVector.fromArray(S, dOut, base + p));
                }
                for (; p < P; p++) {
                    tail += dOut[base + p];
                }
            }
            grads[bOff + oc] = acc.reduceLanes(VectorOperators.ADD) + tail;
        }
    }

    /** g[oc, r·P + p] = t[n0+r, oc, p]: a block of NCHW rows as one (OC, R·P) matrix. */
    private static void gatherRows(float[] g, float[] t, int n0, int rows, int OC, int P) {
        int rp = rows * P;
        for (int r = 0; r < rows; r++) {
            for (int oc = 0; oc < OC; oc++) {
                System.arraycopy(t, ((n0 + r) * OC + oc) * P, g, oc * rp + r * P, P);
            }
        }
    }

    /** col[(c,kh,kw), r·P + oh·OW + ow] = in[n0+r, c, oh+kh-pad, ow+kw-pad], zero outside the image. */
    private static void im2col(float[] col, float[] in, int n0, int rows, int C, int H, int W, int KH, int KW, int pad,
                               int OH, int OW) {
        int P = OH * OW, rp = rows * P;
        for (int c = 0; c < C; c++) {
            for (int kh = 0; kh < KH; kh++) {
                for (int kw = 0; kw < KW; kw++) {
                    int rowBase = ((c * KH + kh) * KW + kw) * rp;
                    int ow0 = Math.max(0, pad - kw), ow1 = Math.min(OW, W + pad - kw);
                    for (int r = 0; r < rows; r++) {
                        int img = ((n0 + r) * C + c) * H * W;
                        for (int oh = 0; oh < OH; oh++) {
                            int dst = rowBase + r * P + oh * OW;
                            int ih = oh + kh - pad;
                            if (ih < 0 || ih >= H || ow0 >= ow1) {
                                Arrays.fill(col, dst, dst + OW, 0f);
                                continue;
                            }
                            Arrays.fill(col, dst, dst + ow0, 0f);
                            System.arraycopy(in, img + ih * W + ow0 + kw - pad, col, dst + ow0, ow1 - ow0);
                            Arrays.fill(col, dst + ow1, dst + OW, 0f);
                        }
                    }
                }
            }
        }
    }

    /** dIn[n0+r, c, oh+kh-pad, ow+kw-pad] += dcol[(c,kh,kw), r·P + oh·OW + ow] inside the image. */
    private static void col2imAdd(float[] dIn, float[] dcol, int n0, int rows, int C, int H, int W, int KH, int KW, int pad,
                                  int OH, int OW) {
        int P = OH * OW, rp = rows * P;
        for (int c = 0; c < C; c++) {
            for (int kh = 0; kh < KH; kh++) {
                for (int kw = 0; kw < KW; kw++) {
                    int rowBase = ((c * KH + kh) * KW + kw) * rp;
                    int ow0 = Math.max(0, pad - kw), ow1 = Math.min(OW, W + pad - kw);
                    for (int r = 0; r < rows; r++) {
                        int img = ((n0 + r) * C + c) * H * W;
                        for (int oh = 0; oh < OH; oh++) {
                            int ih = oh + kh - pad;
                            if (ih < 0 || ih >= H) {
                                continue;
                            }
                            int src = rowBase + r * P + oh * OW, dst = img + ih * W + kw - pad;
                            for (int ow = ow0; ow < ow1; ow++) {
                                dIn[dst + ow] += dcol[src + ow];
                            }
                        }
                    }
                }
            }
        }
    }
}
