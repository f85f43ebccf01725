package relutornado.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU variants of {@link Conv2d}'s three products for the {@code java-parallel} engine, on the Vector API. Same
 * names, signatures, NCHW layouts and overwrite semantics as {@link Conv2d}; results agree to float rounding.
 * <pre>
 *   forward:          implicit GEMM, no patch matrix: rows = the positions (n, oh, ow), columns = the output channels,
 *                     depth = the taps (c, kh, kw); the register tile reads its positions' inputs through a tap table
 *   backwardInput:    the same implicit GEMM on the zero-padded dOut with the flipped kernel where that padding adds
 *                     little work; else dcol (CKK, R·P) = Wᵀ · dOut (OC, R·P) by {@link CpuGemm} over blocks of R rows,
 *                     then col2im adds dcol into dIn
 *   backwardWeights:  implicit GEMM, dWᵀ (taps × channels) = Σ over positions of the patches · dOutᵀ
 * </pre>
 * A one-channel 3×3 first layer has direct vector loops for forward and backwardWeights. {@code backwardBias} sums
 * with the Vector API.
 */
public final class Conv2dCpu {
    private Conv2dCpu() {
    }

    /** Floats of a col block: rows per block are chosen to keep col near this size (1 MB, in L2; larger blocks measured slower). */
    private static final int COL_FLOATS = 1 << 18;

    /**
     * Float slots: COL (dcol, a block of padded images, the 3×3 weight sums), PACKED (the GEMM's other operand), TILE
     * (the register tile's sums); int slots: TAPS (a tap's offset in the image), POSITIONS (a position's).
     */
    private static final Scratch SCRATCH = new Scratch(3, 2);
    private static final int COL = 0, PACKED = 1, TILE = 2, TAPS = 0, POSITIONS = 1;

    /** Rows per block for a col of CKK·P floats per row. */
    private static int rowsPerBlock(int ckk, int p, int rows) {
        return Math.max(1, Math.min(rows, COL_FLOATS / Math.max(1, ckk * p)));
    }

    /**
     * Forward, as {@link Conv2d#forward}: rows [start, start+count). Overwrites out. Implicit GEMM, tall: the output
     * positions (n, oh, ow) of the range are the rows (M = count·P), the output channels the columns, the taps
     * (c, kh, kw) the depth. No patch matrix: the register tile broadcasts its MR positions' inputs straight from the
     * image through a table of tap offsets, and Wᵀ is packed once into NR-channel panels; the bias is added in the
     * store, which writes the tile to NCHW. With padding, blocks of rows are first copied into a zero-bordered buffer.
     */
    public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff, int C, int H, int W,
                               int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        if (C == 1 && KH == 3 && KW == 3 && pad == 0 && OW >= L) {
            forwardOneChannel3x3(out, in, params, wOff, bOff, H, W, OC, OH, OW, start, count);
            return;
        }
        int ckk = C * KH * KW;
        float[] wt = SCRATCH.floats(PACKED, (OC + NR - 1) / NR * ckk * NR);
        for (int oc0 = 0; oc0 < OC; oc0 += NR) {
            for (int k = 0; k < ckk; k++) {
                for (int j = 0; j < NR; j++) {
                    wt[oc0 * ckk + k * NR + j] = oc0 + j < OC ? params[wOff + (oc0 + j) * ckk + k] : 0f;
                }
            }
        }
        implicitConv(out, in, C, H, W, pad, pad, KH, KW, wt, OC, OH, OW, params, bOff, start, count);
    }

    /** Output floats of one image above which the one-channel 3×3 kernel writes channel plane by plane (L1: 32 KB). */
    private static final int PLANE_ORDER_FLOATS = 8192;

    /**
     * The first layer of an image model with 3×3 kernels (one input channel, a depth of 9 taps: too shallow for a GEMM
     * tile, whose store would cost more than its products): direct, along output rows. Small outputs (an image's
     * within L1): the 9 shifted input vectors of a stretch of L outputs are loaded once (locals: C2 keeps them in
     * registers, an array of vectors it would box) and serve every output channel. Larger ones, whose OC interleaved
     * store streams then miss: channel plane by plane, the nine weights and the bias in registers, the output written
     * in order. The last stretch of a row overlaps the one before.
     */
    private static void forwardOneChannel3x3(float[] out, float[] in, float[] params, int wOff, int bOff, int H, int W,
                                             int OC, int OH, int OW, int start, int count) {
        int P = OH * OW;
        if (OC * P <= PLANE_ORDER_FLOATS) {
            forwardOneChannel3x3ByPosition(out, in, params, wOff, bOff, H, W, OC, OH, OW, start, count);
            return;
        }
        for (int n = start; n < start + count; n++) {
            for (int oc = 0; oc < OC; oc++) {
                int w = wOff + oc * 9;
                FloatVector b = FloatVector.broadcast(S, params[bOff + oc]);
                FloatVector w0 = FloatVector.broadcast(S, params[w]), w1 = FloatVector.broadcast(S, params[w + 1]);
                FloatVector w2 = FloatVector.broadcast(S, params[w + 2]), w3 = FloatVector.broadcast(S, params[w + 3]);
                FloatVector w4 = FloatVector.broadcast(S, params[w + 4]), w5 = FloatVector.broadcast(S, params[w + 5]);
                FloatVector w6 = FloatVector.broadcast(S, params[w + 6]), w7 = FloatVector.broadcast(S, params[w + 7]);
                FloatVector w8 = FloatVector.broadcast(S, params[w + 8]);
                int plane = (n * OC + oc) * P;
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow0 = 0; ow0 < OW; ow0 += L) {
                        int ow = Math.min(ow0, OW - L);
                        int r0 = (n * H + oh) * W + ow, r1 = r0 + W, r2 = r1 + W;
                        FloatVector acc = FloatVector.fromArray(S, in, r0).lanewise(VectorOperators.FMA, w0, b);
                        acc = FloatVector.fromArray(S, in, r0 + 1).lanewise(VectorOperators.FMA, w1, acc);
                        acc = FloatVector.fromArray(S, in, r0 + 2).lanewise(VectorOperators.FMA, w2, acc);
                        acc = FloatVector.fromArray(S, in, r1).lanewise(VectorOperators.FMA, w3, acc);
                        acc = FloatVector.fromArray(S, in, r1 + 1).lanewise(VectorOperators.FMA, w4, acc);
                        acc = FloatVector.fromArray(S, in, r1 + 2).lanewise(VectorOperators.FMA, w5, acc);
                        acc = FloatVector.fromArray(S, in, r2).lanewise(VectorOperators.FMA, w6, acc);
                        acc = FloatVector.fromArray(S, in, r2 + 1).lanewise(VectorOperators.FMA, w7, acc);
                        acc = FloatVector.fromArray(S, in, r2 + 2).lanewise(VectorOperators.FMA, w8, acc);
                        acc.intoArray(out, plane + oh * OW + ow);
                    }
                }
            }
        }
    }

    private static void forwardOneChannel3x3ByPosition(float[] out, float[] in, float[] params, int wOff, int bOff, int H,
                                                       int W, int OC, int OH, int OW, int start, int count) {
        int P = OH * OW;
        for (int n = start; n < start + count; n++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow0 = 0; ow0 < OW; ow0 += L) {
                    int ow = Math.min(ow0, OW - L);
                    int r0 = (n * H + oh) * W + ow, r1 = r0 + W, r2 = r1 + W;
                    FloatVector x0 = FloatVector.fromArray(S, in, r0), x1 = FloatVector.fromArray(S, in, r0 + 1);
                    FloatVector x2 = FloatVector.fromArray(S, in, r0 + 2), x3 = FloatVector.fromArray(S, in, r1);
                    FloatVector x4 = FloatVector.fromArray(S, in, r1 + 1), x5 = FloatVector.fromArray(S, in, r1 + 2);
                    FloatVector x6 = FloatVector.fromArray(S, in, r2), x7 = FloatVector.fromArray(S, in, r2 + 1);
                    FloatVector x8 = FloatVector.fromArray(S, in, r2 + 2);
                    int dst = n * OC * P + oh * OW + ow;
                    for (int oc = 0; oc < OC; oc++) {
                        int w = wOff + oc * 9;
                        FloatVector acc = FloatVector.broadcast(S, params[bOff + oc]);
                        acc = x0.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w]), acc);
                        acc = x1.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w + 1]), acc);
                        acc = x2.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w + 2]), acc);
                        acc = x3.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w + 3]), acc);
                        acc = x4.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w + 4]), acc);
                        acc = x5.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w + 5]), acc);
                        acc = x6.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w + 6]), acc);
                        acc = x7.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w + 7]), acc);
                        acc = x8.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, params[w + 8]), acc);
                        acc.intoArray(out, dst + oc * P);
                    }
                }
            }
        }
    }

    /**
     * out[n, o, y, x] (+ bias[o] if bias != null) = Σ_{c,kh,kw} src[n, c, y+kh-padH, x+kw-padW] · Wt[(c,kh,kw), o] for
     * rows [start, start+count): a stride-1 convolution of src (N, C, H, W) into out (N, O, OH, OW) with Wᵀ packed in
     * NR-channel panels (wt[panel·ckk·NR + k·NR + j]). Overwrites out. The tall implicit GEMM of {@link #forward}.
     */
    private static void implicitConv(float[] out, float[] src, int C, int H, int W, int padH, int padW, int KH, int KW,
                                     float[] wt, int O, int OH, int OW, float[] bias, int bOff, int start, int count) {
        int ckk = C * KH * KW, P = OH * OW, Hp = H + 2 * padH, Wp = W + 2 * padW;
        int[] tap = taps(C, KH, KW, Hp, Wp);
        int panels = (O + NR - 1) / NR;
        boolean padded = padH > 0 || padW > 0;
        // rows per block: with padding, a padded copy of the block's images (a few hundred KB)
        int R = padded ? Math.max(1, Math.min(count, (1 << 16) / (C * Hp * Wp))) : count;
        float[] tile = SCRATCH.floats(TILE, MR * NR);
        int[] base = new int[MR];
        int[] dst = new int[MR];
        for (int n0 = start; n0 < start + count; n0 += R) {
            int rows = Math.min(R, start + count - n0);
            float[] img = src;
            int imgAt = n0 * C * H * W;
            if (padded) {
                img = SCRATCH.floats(COL, rows * C * Hp * Wp);
                padImages(img, src, n0, rows, C, H, W, padH, padW);
                imgAt = 0;
            }
            int M = rows * P;
            for (int q0 = 0; q0 < M; q0 += MR) {
                int mr = Math.min(MR, M - q0);
                for (int r = 0; r < MR; r++) {
                    int q = q0 + Math.min(r, mr - 1); // a short last tile repeats its last position
                    int n = q / P, p = q - n * P, oh = p / OW, ow = p - oh * OW;
                    base[r] = imgAt + n * C * Hp * Wp + oh * Wp + ow;
                    dst[r] = (n0 + n) * O * P + p;
                }
                for (int jp = 0; jp < panels; jp++) {
                    microKernel(ckk, tap, img, base[0], base[1], base[2], base[3], wt, jp * ckk * NR, tile);
                    int o0 = jp * NR, nr = Math.min(NR, O - o0);
                    if (mr == MR && dst[MR - 1] == dst[0] + MR - 1) {
                        // MR consecutive positions of one image (all tiles unless P % MR != 0): channel by channel,
                        // each channel's MR outputs adjacent (position by position wrote NR planes apart: slower)
                        int d = dst[0] + o0 * P;
                        for (int j = 0; j < nr; j++, d += P) {
                            float b = bias == null ? 0f : bias[bOff + o0 + j];
                            out[d] = tile[j] + b;
                            out[d + 1] = tile[NR + j] + b;
                            out[d + 2] = tile[2 * NR + j] + b;
                            out[d + 3] = tile[3 * NR + j] + b;
                        }
                        continue;
                    }
                    for (int r = 0; r < mr; r++) {
                        for (int j = 0; j < nr; j++) {
                            out[dst[r] + (o0 + j) * P] = tile[r * NR + j] + (bias == null ? 0f : bias[bOff + o0 + j]);
                        }
                    }
                }
            }
        }
    }

    /** backwardInput runs as a convolution of the padded dOut when that costs at most this much more work. */
    private static final double MAX_PADDED_WORK = 1.5;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows (positions) of the implicit-GEMM register tile. */
    private static final int MR = 4;
    /** Columns (channels) of the register tile: two vectors. */
    private static final int NR = 2 * L;

    /** tap[(c,kh,kw)] = c·Hp·Wp + kh·Wp + kw: where a tap reads, relative to its position's top-left input. */
    private static int[] taps(int C, int KH, int KW, int Hp, int Wp) {
        int[] tap = SCRATCH.ints(TAPS, C * KH * KW);
        for (int c = 0, k = 0; c < C; c++) {
            for (int kh = 0; kh < KH; kh++) {
                for (int kw = 0; kw < KW; kw++) {
                    tap[k++] = (c * Hp + kh) * Wp + kw;
                }
            }
        }
        return tap;
    }

    /** img[r, c, padH + h, padW + w] = in[n0+r, c, h, w], zero borders: images of (C, H + 2padH, W + 2padW). */
    private static void padImages(float[] img, float[] in, int n0, int rows, int C, int H, int W, int padH, int padW) {
        int Hp = H + 2 * padH, Wp = W + 2 * padW;
        Arrays.fill(img, 0, rows * C * Hp * Wp, 0f);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < C; c++) {
                int src = ((n0 + r) * C + c) * H * W, dst = (r * C + c) * Hp * Wp + padH * Wp + padW;
                for (int h = 0; h < H; h++) {
                    System.arraycopy(in, src + h * W, img, dst + h * Wp, W);
                }
            }
        }
    }

    /**
     * tile[r, 0:NR] = Σ_k img[idx[k] + o_r] · packed[at + k·NR, 0:NR] for the MR offsets o_r: the image values
     * broadcast, the packed operand two vectors wide. Overwrites tile. Both implicit GEMMs: forward (idx the tap
     * table, o_r the MR positions' bases, packed Wᵀ) and backwardWeights (idx the positions, o_r MR taps, packed dOutᵀ).
     */
    private static void microKernel(int depth, int[] idx, float[] img, int o0, int o1, int o2, int o3, float[] packed,
                                    int at, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int k = 0; k < depth; k++) {
            int t = idx[k], wi = at + k * NR;
            FloatVector w0 = FloatVector.fromArray(S, packed, wi);
            FloatVector w1 = FloatVector.fromArray(S, packed, wi + L);
            FloatVector a0 = FloatVector.broadcast(S, img[o0 + t]);
            c00 = a0.lanewise(VectorOperators.FMA, w0, c00);
            c01 = a0.lanewise(VectorOperators.FMA, w1, c01);
            FloatVector a1 = FloatVector.broadcast(S, img[o1 + t]);
            c10 = a1.lanewise(VectorOperators.FMA, w0, c10);
            c11 = a1.lanewise(VectorOperators.FMA, w1, c11);
            FloatVector a2 = FloatVector.broadcast(S, img[o2 + t]);
            c20 = a2.lanewise(VectorOperators.FMA, w0, c20);
            c21 = a2.lanewise(VectorOperators.FMA, w1, c21);
            FloatVector a3 = FloatVector.broadcast(S, img[o3 + t]);
            c30 = a3.lanewise(VectorOperators.FMA, w0, c30);
            c31 = a3.lanewise(VectorOperators.FMA, w1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /**
     * Input gradient, as {@link Conv2d#backwardInput}: rows [start, start+count). Overwrites dIn. A convolution of dOut,
     * zero-padded by KH-1-pad, with the flipped kernel, channels swapped — the implicit GEMM of {@link #forward} — where
     * that padding adds little work (H·W ≤ {@value #MAX_PADDED_WORK}·OH·OW: the paper CNN's first layers); else
     * Wᵀ·dOut by the packed GEMM over blocks of rows, then col2im.
     */
    public static void backwardInput(float[] dIn, float[] dOut, float[] params, int wOff, int C, int H, int W,
                                     int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        int ckk = C * KH * KW, P = OH * OW;
        if (H * W <= MAX_PADDED_WORK * P && KH - 1 - pad >= 0 && KW - 1 - pad >= 0) {
            // wt[panel·depth·NR + (oc,kh',kw')·NR + j] = W[oc, c0+j, KH-1-kh', KW-1-kw'], the channel panel from c0
            int kk = KH * KW, depth = OC * kk;
            float[] wt = SCRATCH.floats(PACKED, (C + NR - 1) / NR * depth * NR);
            for (int c0 = 0; c0 < C; c0 += NR) {
                for (int oc = 0; oc < OC; oc++) {
                    for (int t = 0; t < kk; t++) {
                        int at = c0 * depth + (oc * kk + t) * NR;
                        for (int j = 0; j < NR; j++) {
                            wt[at + j] = c0 + j < C ? params[wOff + (oc * C + c0 + j) * kk + kk - 1 - t] : 0f;
                        }
                    }
                }
            }
            implicitConv(dIn, dOut, OC, OH, OW, KH - 1 - pad, KW - 1 - pad, KH, KW, wt, C, H, W, null, 0, start, count);
            return;
        }
        int R = rowsPerBlock(ckk, P, count);
        Arrays.fill(dIn, start * C * H * W, (start + count) * C * H * W, 0f);
        for (int n0 = start; n0 < start + count; n0 += R) {
            int rows = Math.min(R, start + count - n0);
            int rp = rows * P;
            float[] g = SCRATCH.floats(PACKED, OC * rp);
            gatherRows(g, dOut, n0, rows, OC, P);
            float[] dcol = SCRATCH.floats(COL, ckk * rp);
            Arrays.fill(dcol, 0, ckk * rp, 0f);
            // A = Wᵀ: A[ckk, oc] = W[oc, ckk]
            CpuGemm.gemm(ckk, rp, OC, params, wOff, 1, ckk, g, 0, rp, 1, dcol, 0, rp);
            col2imAdd(dIn, dcol, n0, rows, C, H, W, KH, KW, pad, OH, OW);
        }
    }

    /**
     * Weight gradient, as {@link Conv2d#backwardWeights}: output channels [start, start+count), all N rows. Overwrites.
     * Implicit GEMM, tall: dWᵀ (taps × channels) = Σ over positions of the patches (broadcast straight from the image:
     * MR taps of one position) times dOutᵀ (packed per block of rows into NR-channel panels, position-major).
     */
    public static void backwardWeights(float[] grads, float[] dOut, float[] in, int wOff, int N, int C, int H, int W,
                                       int OC, int KH, int KW, int pad, int OH, int OW, int start, int count) {
        if (C == 1 && KH == 3 && KW == 3 && pad == 0 && OW >= L) {
            backwardWeightsOneChannel3x3(grads, dOut, in, wOff, N, H, W, OC, OH, OW, start, count);
            return;
        }
        int ckk = C * KH * KW, P = OH * OW, Hp = H + 2 * pad, Wp = W + 2 * pad;
        Arrays.fill(grads, wOff + start * ckk, wOff + (start + count) * ckk, 0f);
        int[] tap = taps(C, KH, KW, Hp, Wp);
        int panels = (count + NR - 1) / NR;
        // rows per block: about 256 positions, so a block's dOutᵀ panel (positions × NR) stays in L1
        int R = Math.max(1, Math.min(N, 256 / P));
        float[] tile = SCRATCH.floats(TILE, MR * NR);
        for (int n0 = 0; n0 < N; n0 += R) {
            int rows = Math.min(R, N - n0), M = rows * P;
            float[] img = in;
            int imgAt = n0 * C * H * W;
            if (pad > 0) {
                img = SCRATCH.floats(COL, rows * C * Hp * Wp);
                padImages(img, in, n0, rows, C, H, W, pad, pad);
                imgAt = 0;
            }
            int[] pos = SCRATCH.ints(POSITIONS, M);
            for (int q = 0; q < M; q++) {
                int n = q / P, p = q - n * P, oh = p / OW, ow = p - oh * OW;
                pos[q] = imgAt + n * C * Hp * Wp + oh * Wp + ow;
            }
            float[] dT = SCRATCH.floats(PACKED, panels * M * NR);
            for (int jp = 0; jp < panels; jp++) {
                int oc0 = start + jp * NR, nr = Math.min(NR, start + count - oc0), at = jp * M * NR;
                for (int j = 0; j < NR; j++) {
                    for (int n = 0; n < rows; n++) {
                        int src = ((n0 + n) * OC + oc0 + j) * P, dst = at + n * P * NR + j;
                        for (int p = 0; p < P; p++) {
                            dT[dst + p * NR] = j < nr ? dOut[src + p] : 0f;
                        }
                    }
                }
            }
            for (int k0 = 0; k0 < ckk; k0 += MR) {
                int kr = Math.min(MR, ckk - k0);
                int t0 = tap[k0], t1 = tap[k0 + Math.min(1, kr - 1)], t2 = tap[k0 + Math.min(2, kr - 1)], t3 = tap[k0 + kr - 1];
                for (int jp = 0; jp < panels; jp++) {
                    microKernel(M, pos, img, t0, t1, t2, t3, dT, jp * M * NR, tile);
                    int oc0 = start + jp * NR, nr = Math.min(NR, start + count - oc0);
                    for (int j = 0; j < nr; j++) {
                        int g = wOff + (oc0 + j) * ckk + k0;
                        for (int r = 0; r < kr; r++) {
                            grads[g + r] += tile[r * NR + j];
                        }
                    }
                }
            }
        }
    }

    /** Lane numbers 0, 1, …, L-1. */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    /**
     * The weight gradient of a one-channel 3×3 first layer (9 taps: a GEMM tile of 4 taps wastes a quarter and its depth,
     * the positions, is packed for little work): direct, per output channel, along output rows. Nine vector sums, one
     * per tap, each the lanewise product of a stretch of dOut with the input shifted by the tap. Overwrites grads[wOff + (start..start+count)·9].
     */
    private static void backwardWeightsOneChannel3x3(float[] grads, float[] dOut, float[] in, int wOff, int N, int H, int W,
                                                     int OC, int OH, int OW, int start, int count) {
        int P = OH * OW;
        // image by image, so dOut streams in order (its channel planes of one image are adjacent); the nine vector sums
        // of each channel wait in a small array (count·9·L floats, in L1) between images
        float[] acc = SCRATCH.floats(COL, count * 9 * L);
        Arrays.fill(acc, 0, count * 9 * L, 0f);
        for (int n = 0; n < N; n++) {
            for (int oc = start; oc < start + count; oc++) {
                int s = (oc - start) * 9 * L;
                FloatVector a0 = FloatVector.fromArray(S, acc, s), a1 = FloatVector.fromArray(S, acc, s + L);
                FloatVector a2 = FloatVector.fromArray(S, acc, s + 2 * L), a3 = FloatVector.fromArray(S, acc, s + 3 * L);
                FloatVector a4 = FloatVector.fromArray(S, acc, s + 4 * L), a5 = FloatVector.fromArray(S, acc, s + 5 * L);
                FloatVector a6 = FloatVector.fromArray(S, acc, s + 6 * L), a7 = FloatVector.fromArray(S, acc, s + 7 * L);
                FloatVector a8 = FloatVector.fromArray(S, acc, s + 8 * L);
                for (int oh = 0; oh < OH; oh++) {
                    int d = (n * OC + oc) * P + oh * OW, r0 = (n * H + oh) * W, r1 = r0 + W, r2 = r1 + W;
                    for (int ow0 = 0; ow0 < OW; ow0 += L) {
                        // the last stretch ends at the row's end and overlaps the one before: its first lanes are masked off
                        int ow = Math.min(ow0, OW - L);
                        FloatVector g = FloatVector.fromArray(S, dOut, d + ow);
                        if (ow < ow0) {
                            g = g.blend(0f, IOTA.compare(VectorOperators.LT, ow0 - ow));
                        }
                        a0 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r0 + ow), a0);
                        a1 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r0 + ow + 1), a1);
                        a2 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r0 + ow + 2), a2);
                        a3 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r1 + ow), a3);
                        a4 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r1 + ow + 1), a4);
                        a5 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r1 + ow + 2), a5);
                        a6 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r2 + ow), a6);
                        a7 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r2 + ow + 1), a7);
                        a8 = g.lanewise(VectorOperators.FMA, FloatVector.fromArray(S, in, r2 + ow + 2), a8);
                    }
                }
                a0.intoArray(acc, s);
                a1.intoArray(acc, s + L);
                a2.intoArray(acc, s + 2 * L);
                a3.intoArray(acc, s + 3 * L);
                a4.intoArray(acc, s + 4 * L);
                a5.intoArray(acc, s + 5 * L);
                a6.intoArray(acc, s + 6 * L);
                a7.intoArray(acc, s + 7 * L);
                a8.intoArray(acc, s + 8 * L);
            }
        }
        for (int oc = start; oc < start + count; oc++) {
            for (int t = 0; t < 9; t++) {
                grads[wOff + oc * 9 + t] = FloatVector.fromArray(S, acc, ((oc - start) * 9 + t) * L).reduceLanes(VectorOperators.ADD);
            }
        }
    }

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
