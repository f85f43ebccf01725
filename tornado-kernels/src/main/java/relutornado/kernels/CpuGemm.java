package relutornado.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU matrix product behind the {@code *Cpu} kernels: {@code C[M×N] += A[M×K] · B[K×N]}, each
 * operand addressed by (row stride, column stride) so transposed operands cost nothing extra.
 * <p>
 * GotoBLAS/BLIS structure: B is packed into KC×NR column panels and A into MR×KC row panels (k-major,
 * zero-padded), so the micro-kernel streams both contiguously; its MR×NR tile of C lives in vector
 * registers: on AVX2 4 rows × 2 vectors, 8 registers, every step 2 loads, 4 broadcasts and 8 FMAs (wider tiles
 * would hide more FMA latency, but C2 spills them from AVX2's 16 registers: docs/speed.md); with 512-bit vectors
 * 8 rows × 2 vectors, 16 of AVX-512's 32. The width and the tile are chosen at run time. KC keeps a B panel in L1
 * and an A block in L2. Not a TornadoVM kernel: it keeps per thread its packing buffers and two MR×NR tiles
 * ({@code Buffers}, {@code TILE}), and uses the Vector API ({@code --add-modules jdk.incubator.vector}).
 */
public final class CpuGemm {
    private CpuGemm() {
    }

    /** The system properties that set the vector width, the register tile's rows and the depth block (read once, when CpuGemm loads). */
    public static final String BITS_PROPERTY = "relutornado.gemm.bits";
    public static final String ROWS_PROPERTY = "relutornado.gemm.rows";
    public static final String KC_PROPERTY = "relutornado.gemm.kc";
    /** The depth block's bounds: at least one k-step per unrolled pair, at most 1024 (a thread's packed B block is KC×NC floats). */
    static final int KC_MIN = 16;
    static final int KC_MAX = 1024;

    static VectorSpecies<Float> species(int bits) {
        return switch (bits) {
            case 0 -> FloatVector.SPECIES_PREFERRED;
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("-D" + BITS_PROPERTY + " must be 128, 256 or 512, got " + bits);
        };
    }

    static int rows(int rows) {
        if (rows != 4 && rows != 8) {
            throw new IllegalArgumentException("-D" + ROWS_PROPERTY + " must be 4 or 8, got " + rows);
        }
        return rows;
    }

    static int depthBlock(int kc) {
        if (kc < KC_MIN || kc > KC_MAX) {
            throw new IllegalArgumentException("-D" + KC_PROPERTY + " must be in [" + KC_MIN + ", " + KC_MAX + "], got " + kc);
        }
        return kc;
    }

    /** The tile's vector width in bits, rows and depth block, as CpuGemm loaded them. */
    public static int vectorBits() {
        return S.vectorBitSize();
    }

    public static int tileRows() {
        return MR;
    }

    public static int depthBlock() {
        return KC;
    }

    /** The tile in use, e.g. "8x2 vectors of 16 floats, depth blocks of 192" (for benchmark records). */
    public static String tile() {
        return MR + "x2 vectors of " + L + " floats, depth blocks of " + KC;
    }

    /**
     * The vector width: the host's preferred (256 bits on AVX2, 512 on AVX-512 hosts whose JVM uses it);
     * {@code -Drelutornado.gemm.bits=128|256|512} overrides it (to test a width this host lacks, or to compare two).
     */
    private static final VectorSpecies<Float> S = species(Integer.getInteger(BITS_PROPERTY, 0));
    private static final int L = S.length();
    /**
     * Rows of the register tile: 4 (8 accumulators, the most C2 keeps in AVX2's 16 registers) or 8 with 512-bit
     * vectors (16 accumulators of AVX-512's 32: twice the FMAs in flight to cover their latency, and 1 broadcast per
     * 2 FMAs instead of 4 per 8). {@code -Drelutornado.gemm.rows=4|8} overrides the choice.
     */
    static final int MR = rows(Integer.getInteger(ROWS_PROPERTY, L >= 16 ? 8 : 4));
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Largest depth of a packed block: by default a B panel KC×NR of 24 KB (in L1) whatever the width;
     * {@code -Drelutornado.gemm.kc} overrides it. K is cut into equal blocks up to this.
     */
    static final int KC = depthBlock(Integer.getInteger(KC_PROPERTY, 6144 / NR));
    /** Rows of A per packed block (MC×KC in L2). */
    static final int MC = 96;
    /** Most floats of a row-major A block read in place from L2 while B panels are packed one by one (512 KB). */
    static final int A_IN_PLACE_FLOATS = 1 << 17;
    /** Columns of B per packed block. */
    static final int NC = 2048;

    /**
     * One thread's buffers: packed A (MC×KC), packed B (KC×NC and a spare panel), and the edge tile into which a
     * partial tile of C (fewer than MR rows or NR columns) is accumulated before its valid part is added to C.
     */
    private record Buffers(float[] a, float[] b, float[] edge) {
    }

    /**
     * The 8-row micro-kernel's sums before {@code addTile} adds them to C. Apart from {@link Buffers#edge}: on a
     * partial tile that edge tile is the C the sums are added to.
     */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(
            () -> new Buffers(new float[MC * KC], new float[KC * (NC + NR)], new float[MR * NR]));

    /**
     * C[i,j] += Σ_k A[i,k]·B[k,j] for i < M, j < N, where A[i,k] = a[aOff + i·aRs + k·aCs],
     * B[k,j] = b[bOff + k·bRs + j·bCs], C[i,j] = c[cOff + i·ldc + j]. Accumulates into C.
     */
    public static void gemm(int M, int N, int K, float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
        if (M <= 0 || N <= 0 || K <= 0) {
            return;
        }
        Buffers buf = BUFFERS.get();
        // depth blocks of equal size ≤ KC (K = 288 runs as one block of 288, not 256 + 32)
        int kcMax = (K + (K + KC - 1) / KC - 1) / ((K + KC - 1) / KC);
        if (bRs == 1 && bCs != 1 && aCs == 1 && M % MR == 0 && N % NR == 0 && M * kcMax <= A_IN_PLACE_FLOATS) {
            // B stored transposed (dOut·Wᵀ), A row-major and small enough to stay in L2: each B panel is packed into
            // L1 right before all M/MR micro-kernels use it (measured faster than packing the whole block first)
            for (int pc = 0; pc < K; pc += kcMax) {
                int kc = Math.min(kcMax, K - pc);
                for (int jr = 0; jr < N; jr += NR) {
                    packB(buf.b, b, bOff + pc * bRs + jr * bCs, bRs, bCs, kc, NR);
                    for (int ir = 0; ir < M; ir += MR) {
                        microInPlace(kc, a, aOff + ir * aRs + pc, aRs, buf.b, 0, c, cOff + ir * ldc + jr, ldc);
                    }
                }
            }
            return;
        }
        if (M <= MC) {
            // few rows (a convolution's output channels): pack A once per depth block and each B panel
            // right before the micro-kernels that use it, so the panel is still in L1 for all M/MR of them
            for (int pc = 0; pc < K; pc += kcMax) {
                int kc = Math.min(kcMax, K - pc);
                packA(buf.a, a, aOff + pc * aCs, aRs, aCs, M, kc);
                for (int jr = 0; jr < N; jr += NR) {
                    int nr = Math.min(NR, N - jr);
                    packB(buf.b, b, bOff + pc * bRs + jr * bCs, bRs, bCs, kc, nr);
                    panel(buf, kc, M, nr, 0, c, cOff + jr, ldc);
                }
            }
            return;
        }
        for (int jc = 0; jc < N; jc += NC) {
            int nc = Math.min(NC, N - jc);
            for (int pc = 0; pc < K; pc += kcMax) {
                int kc = Math.min(kcMax, K - pc);
                packB(buf.b, b, bOff + pc * bRs + jc * bCs, bRs, bCs, kc, nc);
                for (int ic = 0; ic < M; ic += MC) {
                    int mc = Math.min(MC, M - ic);
                    int aAt = aOff + ic * aRs + pc * aCs;
                    if (aCs == 1 && mc % MR == 0) {
                        // A row-major (in, dOut): the micro-kernel broadcasts from its rows as they are, no packing
                        // (faster on the FFNN's GEMMs than packing A); a partial B panel goes through packing
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            if (nr < NR) {
                                packA(buf.a, a, aAt, aRs, aCs, mc, kc);
                                panel(buf, kc, mc, nr, jr * kc, c, cOff + ic * ldc + jc + jr, ldc);
                                continue;
                            }
                            for (int ir = 0; ir < mc; ir += MR) {
                                microInPlace(kc, a, aAt + ir * aRs, aRs, buf.b, jr * kc, c, cOff + (ic + ir) * ldc + jc + jr, ldc);
                            }
                        }
                        continue;
                    }
                    packA(buf.a, a, aAt, aRs, aCs, mc, kc);
                    for (int jr = 0; jr < nc; jr += NR) {
                        panel(buf, kc, mc, Math.min(NR, nc - jr), jr * kc, c, cOff + ic * ldc + jc + jr, ldc);
                    }
                }
            }
        }
    }

    /** C[0:mc, 0:nr] (from cAt) += packed A block (mc rows) · the packed B panel at bAt, tile by tile. */
    private static void panel(Buffers buf, int kc, int mc, int nr, int bAt, float[] c, int cAt, int ldc) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int at = cAt + ir * ldc;
            if (mr == MR && nr == NR) {
                micro(kc, buf.a, ir * kc, buf.b, bAt, c, at, ldc);
            } else {
                java.util.Arrays.fill(buf.edge, 0f);
                micro(kc, buf.a, ir * kc, buf.b, bAt, buf.edge, 0, NR);
                for (int i = 0; i < mr; i++) {
                    for (int j = 0; j < nr; j++) {
                        c[at + i * ldc + j] += buf.edge[i * NR + j];
                    }
                }
            }
        }
    }

    /** Packs A[0:mc, 0:kc] into MR-row panels, k-major: ap[panel·kc·MR + k·MR + r]; rows past mc are zero. */
    private static void packA(float[] ap, float[] a, int off, int rs, int cs, int mc, int kc) {
        for (int ir = 0; ir < mc; ir += MR) {
            int base = ir * kc;
            int mr = Math.min(MR, mc - ir);
            if (mr == MR && MR == 4) {
                for (int k = 0; k < kc; k++) {
                    int src = off + ir * rs + k * cs;
                    int dst = base + k * MR;
                    ap[dst] = a[src];
                    ap[dst + 1] = a[src + rs];
                    ap[dst + 2] = a[src + 2 * rs];
                    ap[dst + 3] = a[src + 3 * rs];
                }
                continue;
            }
            if (mr == MR) {
                for (int k = 0; k < kc; k++) {
                    int src = off + ir * rs + k * cs;
                    int dst = base + k * MR;
                    for (int r = 0; r < MR; r++) {
                        ap[dst + r] = a[src + r * rs];
                    }
                }
                continue;
            }
            for (int k = 0; k < kc; k++) {
                int src = off + ir * rs + k * cs;
                int dst = base + k * MR;
                for (int r = 0; r < mr; r++) {
                    ap[dst + r] = a[src + r * rs];
                }
                for (int r = mr; r < MR; r++) {
                    ap[dst + r] = 0f;
                }
            }
        }
    }

    /** Packs B[0:kc, 0:nc] into NR-column panels, k-major: bp[panel·kc·NR + k·NR + j]; columns past nc are zero. */
    private static void packB(float[] bp, float[] b, int off, int rs, int cs, int kc, int nc) {
        for (int jr = 0; jr < nc; jr += NR) {
            int base = jr * kc;
            int nr = Math.min(NR, nc - jr);
            if (rs == 1 && cs != 1) {
                // B stored transposed (dOut·Wᵀ): read each column along k, contiguous, write it strided;
                // the k-major gather below costs more here
                for (int j = 0; j < NR; j++) {
                    int src = off + (jr + j) * cs;
                    for (int k = 0; k < kc; k++) {
                        bp[base + k * NR + j] = j < nr ? b[src + k] : 0f;
                    }
                }
                continue;
            }
            for (int k = 0; k < kc; k++) {
                int src = off + k * rs + jr * cs;
                int dst = base + k * NR;
                if (cs == 1 && nr == NR) {
                    FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                } else {
                    for (int j = 0; j < nr; j++) {
                        bp[dst + j] = b[src + j * cs];
                    }
                    for (int j = nr; j < NR; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            }
        }
    }

    /** C[0:MR, 0:NR] (row stride ldc, from cAt) += Ap panel (kc×MR) · Bp panel (kc×NR). */
    private static void micro(int kc, float[] ap, int aAt, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        if (MR == 4) {
            micro4(kc, ap, aAt, bp, bAt, c, cAt, ldc);
            return;
        }
        float[] tile = TILE.get();
        micro8(kc, ap, aAt, 1, 8, bp, bAt, tile);
        addTile(tile, c, cAt, ldc);
    }

    private static void micro4(int kc, float[] ap, int aAt, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int bi = bAt + k * NR;
            int ai = aAt + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c00 = a0.lanewise(VectorOperators.FMA, b0, c00);
            c01 = a0.lanewise(VectorOperators.FMA, b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a1.lanewise(VectorOperators.FMA, b0, c10);
            c11 = a1.lanewise(VectorOperators.FMA, b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a2.lanewise(VectorOperators.FMA, b0, c20);
            c21 = a2.lanewise(VectorOperators.FMA, b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a3.lanewise(VectorOperators.FMA, b0, c30);
            c31 = a3.lanewise(VectorOperators.FMA, b1, c31);
        }
        addRow(c, cAt, c00, c01);
        addRow(c, cAt + ldc, c10, c11);
        addRow(c, cAt + 2 * ldc, c20, c21);
        addRow(c, cAt + 3 * ldc, c30, c31);
    }

    /** As {@link #micro}, with A read in place: dispatches to the tile in use. */
    private static void microInPlace(int kc, float[] a, int aAt, int lda, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        if (MR == 4) {
            microRows(kc, a, aAt, lda, bp, bAt, c, cAt, ldc);
            return;
        }
        float[] tile = TILE.get();
        micro8(kc, a, aAt, lda, 1, bp, bAt, tile);
        addTile(tile, c, cAt, ldc);
    }

    /**
     * As {@link #micro}, with A read in place: rows aAt, aAt + lda, aAt + 2·lda, aAt + 3·lda of a row-major A, columns
     * [0, kc). Same FMA order as micro on the packed copy, so the results are the same bit for bit. Written out apart
     * from micro on purpose: one kernel with A's (row, k) strides as arguments ran slower under C2.
     */
    private static void microRows(int kc, float[] a, int aAt, int lda, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int a1At = aAt + lda, a2At = aAt + 2 * lda, a3At = aAt + 3 * lda;
        for (int k = 0; k < kc; k++) {
            int bi = bAt + k * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[aAt + k]);
            c00 = a0.lanewise(VectorOperators.FMA, b0, c00);
            c01 = a0.lanewise(VectorOperators.FMA, b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[a1At + k]);
            c10 = a1.lanewise(VectorOperators.FMA, b0, c10);
            c11 = a1.lanewise(VectorOperators.FMA, b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[a2At + k]);
            c20 = a2.lanewise(VectorOperators.FMA, b0, c20);
            c21 = a2.lanewise(VectorOperators.FMA, b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[a3At + k]);
            c30 = a3.lanewise(VectorOperators.FMA, b0, c30);
            c31 = a3.lanewise(VectorOperators.FMA, b1, c31);
        }
        addRow(c, cAt, c00, c01);
        addRow(c, cAt + ldc, c10, c11);
        addRow(c, cAt + 2 * ldc, c20, c21);
        addRow(c, cAt + 3 * ldc, c30, c31);
    }

    /**
     * tile[0:8, 0:NR] = A (8 rows: a[aAt + r·rs + k·ks]) · Bp panel (kc×NR): 16 accumulators, for 512-bit vectors
     * (AVX-512 has 32 registers). One kernel for the packed A (rs 1, ks 8) and A read in place (rs lda, ks 1); the
     * 4-row tile has one of each, which measured faster than one strided kernel on AVX2. The sums go to a
     * buffer that addTile adds to C: adding them in place as micro4 does takes C2 past its inlining node budget
     * (NodeCountInliningCutoff), the vectors passed to the helper are boxed, and the whole loop falls back to the
     * Vector API's allocating Java path, several times slower.
     */
    private static void micro8(int kc, float[] a, int aAt, int rs, int ks, float[] bp, int bAt, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int bi = bAt + k * NR;
            int ak = aAt + k * ks;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = a0.lanewise(VectorOperators.FMA, b0, c00);
            c01 = a0.lanewise(VectorOperators.FMA, b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + rs]);
            c10 = a1.lanewise(VectorOperators.FMA, b0, c10);
            c11 = a1.lanewise(VectorOperators.FMA, b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2 * rs]);
            c20 = a2.lanewise(VectorOperators.FMA, b0, c20);
            c21 = a2.lanewise(VectorOperators.FMA, b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3 * rs]);
            c30 = a3.lanewise(VectorOperators.FMA, b0, c30);
            c31 = a3.lanewise(VectorOperators.FMA, b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ak + 4 * rs]);
            c40 = a4.lanewise(VectorOperators.FMA, b0, c40);
            c41 = a4.lanewise(VectorOperators.FMA, b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ak + 5 * rs]);
            c50 = a5.lanewise(VectorOperators.FMA, b0, c50);
            c51 = a5.lanewise(VectorOperators.FMA, b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ak + 6 * rs]);
            c60 = a6.lanewise(VectorOperators.FMA, b0, c60);
            c61 = a6.lanewise(VectorOperators.FMA, b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ak + 7 * rs]);
            c70 = a7.lanewise(VectorOperators.FMA, b0, c70);
            c71 = a7.lanewise(VectorOperators.FMA, b1, c71);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /** C[0:MR, 0:NR] (row stride ldc, from cAt) += tile[0:MR, 0:NR]. */
    private static void addTile(float[] tile, float[] c, int cAt, int ldc) {
        for (int r = 0; r < MR; r++) {
            FloatVector.fromArray(S, c, cAt + r * ldc).add(FloatVector.fromArray(S, tile, r * NR)).intoArray(c, cAt + r * ldc);
            FloatVector.fromArray(S, c, cAt + r * ldc + L).add(FloatVector.fromArray(S, tile, r * NR + L)).intoArray(c, cAt + r * ldc + L);
        }
    }

    private static void addRow(float[] c, int at, FloatVector v0, FloatVector v1) {
        FloatVector.fromArray(S, c, at).add(v0).intoArray(c, at);
        FloatVector.fromArray(S, c, at + L).add(v1).intoArray(c, at + L);
    }
}
