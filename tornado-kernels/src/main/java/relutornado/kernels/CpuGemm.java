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
 * 8 rows × 2 vectors, 16 of AVX-512's 32, and for products of 1024+ in every dimension 6 rows × 4 vectors, 24 of
 * them (24 FMAs per 4 loads and 6 broadcasts). The width and the tiles are chosen at run time. KC keeps a B panel
 * in L1 (L2 for the 6×4 tile) and an A block in L2. Not a TornadoVM kernel: it keeps per thread its packing buffers
 * and two register tiles ({@code Buffers}, {@code TILE}), and uses the Vector API ({@code --add-modules
 * jdk.incubator.vector}).
 */
public final class CpuGemm {
    private CpuGemm() {
    }

    /** The system properties that set the vector width, the register tile's rows and the depth block (read once, when CpuGemm loads). */
    public static final String BITS_PROPERTY = "relutornado.gemm.bits";
    public static final String ROWS_PROPERTY = "relutornado.gemm.rows";
    public static final String COLS_PROPERTY = "relutornado.gemm.cols";
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

    /** The register tiles there is a micro-kernel for, rows × vectors: 4×2, 8×2 and 6×4. */
    static int[] tile(int rows, int cols) {
        if (!(rows == 4 && cols == 2 || rows == 8 && cols == 2 || rows == 6 && cols == 4)) {
            throw new IllegalArgumentException("-D" + ROWS_PROPERTY + " and -D" + COLS_PROPERTY + " must make a tile of 4x2, 8x2 or 6x4"
                    + " (rows x vectors), got " + rows + "x" + cols);
        }
        return new int[] {rows, cols};
    }

    /** The tile by width when no property sets it: 8×2 with 512-bit vectors (32 registers), else 4×2; rows 6 alone mean 6×4. */
    static int[] tile(int bits, Integer rows, Integer cols) {
        if (rows == null && cols == null) {
            return bits >= 512 ? tile(8, 2) : tile(4, 2);
        }
        int r = rows != null ? rows : cols == 4 ? 6 : bits >= 512 ? 8 : 4;
        return tile(r, cols != null ? cols : r == 6 ? 4 : 2);
    }

    /** The default depth block: a B panel of 24 KB for 2-vector tiles, 128 KB (at 512 bits) for the 6×4 tile, at most KC_MAX. */
    static int defaultDepthBlock(int cols, int nr) {
        return Math.min(KC_MAX, (cols == 4 ? 32768 : 6144) / nr);
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

    public static int tileCols() {
        return NV;
    }

    public static int depthBlock() {
        return KC;
    }

    /** The tile in use, e.g. "6x4 vectors of 16 floats, depth blocks of 512" (for benchmark records). */
    public static String tile() {
        return MR + "x" + NV + " vectors of " + L + " floats, depth blocks of " + KC;
    }

    /**
     * The vector width: the host's preferred (256 bits on AVX2, 512 on AVX-512 hosts whose JVM uses it);
     * {@code -Drelutornado.gemm.bits=128|256|512} overrides it (to test a width this host lacks, or to compare two).
     */
    private static final VectorSpecies<Float> S = species(Integer.getInteger(BITS_PROPERTY, 0));
    private static final int L = S.length();
    /**
     * The register tile, rows × vectors: 4×2 (8 accumulators, the most C2 keeps in AVX2's 16 registers), or with
     * 512-bit vectors 8×2 (16 of AVX-512's 32) or 6×4 (24: more FMAs in flight, 10 loads per 24 FMAs instead of 10 per
     * 16, but 64 columns per tile: edges waste it on the training step's narrow products).
     * {@code -Drelutornado.gemm.rows} and {@code -Drelutornado.gemm.cols} override the choice.
     */
    private static final int[] RC = tile(S.vectorBitSize(), Integer.getInteger(ROWS_PROPERTY), Integer.getInteger(COLS_PROPERTY));
    static final int MR = RC[0];
    /** Vectors per tile row. */
    static final int NV = RC[1];
    /** Columns of the register tile. */
    static final int NR = NV * L;
    /**
     * Largest depth of a packed block: by default a B panel KC×NR of 24 KB (in L1) for the 2-vector tiles and
     * 128 KB (in L2) for the 6×4 tile, which measured faster with the deeper blocks; {@code -Drelutornado.gemm.kc}
     * overrides it. K is cut into equal blocks up to this.
     */
    static final int KC = depthBlock(Integer.getInteger(KC_PROPERTY, defaultDepthBlock(NV, NR)));

    /** A register tile and its depth block, as the blocking loops use them. */
    record Tile(int mr, int nv, int nr, int kc) {
    }

    /** The columns of the 2-vector and 4-vector micro-kernels' tiles. */
    private static final int NR2 = 2 * L;
    private static final int NR4 = 4 * L;

    private static final Tile MAIN = new Tile(MR, NV, NR, KC);
    /**
     * The big-product tile: 6×4 with its default depth block, for products of at least BIG_DIM in every dimension,
     * where it measured faster than 8×2 (the 2048³ product); with 512-bit vectors and a main tile of 8×2 only, and
     * {@code -Drelutornado.gemm.big=false} turns it off.
     */
    public static final String BIG_PROPERTY = "relutornado.gemm.big";
    static final int BIG_DIM = 1024;
    private static final Tile BIG = L >= 16 && MR == 8 && Boolean.parseBoolean(System.getProperty(BIG_PROPERTY, "true"))
            ? new Tile(6, 4, 4 * L, defaultDepthBlock(4, 4 * L)) : null;

    /** The tile a product runs: the big-product tile where it applies, else the main one. */
    static Tile tileFor(int M, int N, int K) {
        return BIG != null && M >= BIG_DIM && N >= BIG_DIM && K >= BIG_DIM ? BIG : MAIN;
    }

    /** The big-product tile in the words of {@link #tile()}, e.g. "6x4 ... for products of 1024+ in every dimension"; "" when off. */
    public static String bigTile() {
        return BIG == null ? "" : BIG.mr + "x" + BIG.nv + " vectors of " + L + " floats, depth blocks of " + BIG.kc
                + " for products of " + BIG_DIM + "+ in every dimension";
    }

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
     * The 8×2 and 6×4 micro-kernels' sums before {@code addTile} adds them to C. Apart from {@link Buffers#edge}: on a
     * partial tile that edge tile is the C the sums are added to.
     */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[tileFloats()]);

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(() -> {
        Tile big = BIG != null ? BIG : MAIN;
        return new Buffers(new float[MC * Math.max(KC, big.kc)], new float[Math.max(KC * (NC + NR), big.kc * (NC + big.nr))],
                new float[tileFloats()]);
    });

    private static int tileFloats() {
        return Math.max(MR * NR, BIG != null ? BIG.mr * BIG.nr : 0);
    }

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
        Tile t = tileFor(M, N, K);
        // depth blocks of equal size ≤ KC (K = 288 runs as one block of 288, not 256 + 32)
        int kcMax = (K + (K + t.kc - 1) / t.kc - 1) / ((K + t.kc - 1) / t.kc);
        if (bRs == 1 && bCs != 1 && aCs == 1 && M % t.mr == 0 && N % t.nr == 0 && M * kcMax <= A_IN_PLACE_FLOATS) {
            // B stored transposed (dOut·Wᵀ), A row-major and small enough to stay in L2: each B panel is packed into
            // L1 right before all M/MR micro-kernels use it (measured faster than packing the whole block first)
            for (int pc = 0; pc < K; pc += kcMax) {
                int kc = Math.min(kcMax, K - pc);
                for (int jr = 0; jr < N; jr += t.nr) {
                    packB(t, buf.b, b, bOff + pc * bRs + jr * bCs, bRs, bCs, kc, t.nr);
                    for (int ir = 0; ir < M; ir += t.mr) {
                        microInPlace(t, kc, a, aOff + ir * aRs + pc, aRs, buf.b, 0, c, cOff + ir * ldc + jr, ldc);
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
                packA(t, buf.a, a, aOff + pc * aCs, aRs, aCs, M, kc);
                for (int jr = 0; jr < N; jr += t.nr) {
                    int nr = Math.min(t.nr, N - jr);
                    packB(t, buf.b, b, bOff + pc * bRs + jr * bCs, bRs, bCs, kc, nr);
                    panel(t, buf, kc, M, nr, 0, c, cOff + jr, ldc);
                }
            }
            return;
        }
        for (int jc = 0; jc < N; jc += NC) {
            int nc = Math.min(NC, N - jc);
            for (int pc = 0; pc < K; pc += kcMax) {
                int kc = Math.min(kcMax, K - pc);
                packB(t, buf.b, b, bOff + pc * bRs + jc * bCs, bRs, bCs, kc, nc);
                for (int ic = 0; ic < M; ic += MC) {
                    int mc = Math.min(MC, M - ic);
                    int aAt = aOff + ic * aRs + pc * aCs;
                    if (aCs == 1 && mc % t.mr == 0) {
                        // A row-major (in, dOut): the micro-kernel broadcasts from its rows as they are, no packing
                        // (faster on the FFNN's GEMMs than packing A); a partial B panel goes through packing
                        for (int jr = 0; jr < nc; jr += t.nr) {
                            int nr = Math.min(t.nr, nc - jr);
                            if (nr < t.nr) {
                                packA(t, buf.a, a, aAt, aRs, aCs, mc, kc);
                                panel(t, buf, kc, mc, nr, jr * kc, c, cOff + ic * ldc + jc + jr, ldc);
                                continue;
                            }
                            for (int ir = 0; ir < mc; ir += t.mr) {
                                microInPlace(t, kc, a, aAt + ir * aRs, aRs, buf.b, jr * kc, c, cOff + (ic + ir) * ldc + jc + jr, ldc);
                            }
                        }
                        continue;
                    }
                    packA(t, buf.a, a, aAt, aRs, aCs, mc, kc);
                    for (int jr = 0; jr < nc; jr += t.nr) {
                        panel(t, buf, kc, mc, Math.min(t.nr, nc - jr), jr * kc, c, cOff + ic * ldc + jc + jr, ldc);
                    }
                }
            }
        }
    }

    /** C[0:mc, 0:nr] (from cAt) += packed A block (mc rows) · the packed B panel at bAt, tile by tile. */
    private static void panel(Tile t, Buffers buf, int kc, int mc, int nr, int bAt, float[] c, int cAt, int ldc) {
        for (int ir = 0; ir < mc; ir += t.mr) {
            int mr = Math.min(t.mr, mc - ir);
            int at = cAt + ir * ldc;
            if (mr == t.mr && nr == t.nr) {
                micro(t, kc, buf.a, ir * kc, buf.b, bAt, c, at, ldc);
            } else {
                java.util.Arrays.fill(buf.edge, 0f);
                micro(t, kc, buf.a, ir * kc, buf.b, bAt, buf.edge, 0, t.nr);
                for (int i = 0; i < mr; i++) {
                    for (int j = 0; j < nr; j++) {
                        c[at + i * ldc + j] += buf.edge[i * t.nr + j];
                    }
                }
            }
        }
    }

    /** Packs A[0:mc, 0:kc] into MR-row panels, k-major: ap[panel·kc·MR + k·MR + r]; rows past mc are zero. */
    private static void packA(Tile t, float[] ap, float[] a, int off, int rs, int cs, int mc, int kc) {
        for (int ir = 0; ir < mc; ir += t.mr) {
            int base = ir * kc;
            int mr = Math.min(t.mr, mc - ir);
            if (mr == t.mr && t.mr == 4) {
                for (int k = 0; k < kc; k++) {
                    int src = off + ir * rs + k * cs;
                    int dst = base + k * t.mr;
                    ap[dst] = a[src];
                    ap[dst + 1] = a[src + rs];
                    ap[dst + 2] = a[src + 2 * rs];
                    ap[dst + 3] = a[src + 3 * rs];
                }
                continue;
            }
            if (mr == t.mr) {
                for (int k = 0; k < kc; k++) {
                    int src = off + ir * rs + k * cs;
                    int dst = base + k * t.mr;
                    for (int r = 0; r < t.mr; r++) {
                        ap[dst + r] = a[src + r * rs];
                    }
                }
                continue;
            }
            for (int k = 0; k < kc; k++) {
                int src = off + ir * rs + k * cs;
                int dst = base + k * t.mr;
                for (int r = 0; r < mr; r++) {
                    ap[dst + r] = a[src + r * rs];
                }
                for (int r = mr; r < t.mr; r++) {
                    ap[dst + r] = 0f;
                }
            }
        }
    }

    /** Packs B[0:kc, 0:nc] into NR-column panels, k-major: bp[panel·kc·NR + k·NR + j]; columns past nc are zero. */
    private static void packB(Tile t, float[] bp, float[] b, int off, int rs, int cs, int kc, int nc) {
        for (int jr = 0; jr < nc; jr += t.nr) {
            int base = jr * kc;
            int nr = Math.min(t.nr, nc - jr);
            if (rs == 1 && cs != 1) {
                // B stored transposed (dOut·Wᵀ): read each column along k, contiguous, write it strided;
                // the k-major gather below costs more here
                for (int j = 0; j < t.nr; j++) {
                    int src = off + (jr + j) * cs;
                    for (int k = 0; k < kc; k++) {
                        bp[base + k * t.nr + j] = j < nr ? b[src + k] : 0f;
                    }
                }
                continue;
            }
            for (int k = 0; k < kc; k++) {
                int src = off + k * rs + jr * cs;
                int dst = base + k * t.nr;
                if (cs == 1 && nr == t.nr) {
                    for (int v = 0; v < t.nr; v += L) {
                        FloatVector.fromArray(S, b, src + v).intoArray(bp, dst + v);
                    }
                } else {
                    for (int j = 0; j < nr; j++) {
                        bp[dst + j] = b[src + j * cs];
                    }
                    for (int j = nr; j < t.nr; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            }
        }
    }

    /** C[0:MR, 0:NR] (row stride ldc, from cAt) += Ap panel (kc×MR) · Bp panel (kc×NR). */
    private static void micro(Tile t, int kc, float[] ap, int aAt, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        if (t.mr == 4) {
            micro4(kc, ap, aAt, bp, bAt, c, cAt, ldc);
            return;
        }
        float[] tile = TILE.get();
        if (t.mr == 6) {
            micro6x4(kc, ap, aAt, 1, 6, bp, bAt, tile);
        } else {
            micro8(kc, ap, aAt, 1, 8, bp, bAt, tile);
        }
        addTile(t, tile, c, cAt, ldc);
    }

    private static void micro4(int kc, float[] ap, int aAt, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int bi = bAt + k * NR2;
            int ai = aAt + k * 4;
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
    private static void microInPlace(Tile t, int kc, float[] a, int aAt, int lda, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        if (t.mr == 4) {
            microRows(kc, a, aAt, lda, bp, bAt, c, cAt, ldc);
            return;
        }
        float[] tile = TILE.get();
        if (t.mr == 6) {
            micro6x4(kc, a, aAt, lda, 1, bp, bAt, tile);
        } else {
            micro8(kc, a, aAt, lda, 1, bp, bAt, tile);
        }
        addTile(t, tile, c, cAt, ldc);
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
            int bi = bAt + k * NR2;
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
     * tile[0:8, 0:NR2] = A (8 rows: a[aAt + r·rs + k·ks]) · Bp panel (kc×NR2): 16 accumulators, for 512-bit vectors
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
            int bi = bAt + k * NR2;
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
        c00.intoArray(tile, 0 * NR2);
        c01.intoArray(tile, 0 * NR2 + L);
        c10.intoArray(tile, 1 * NR2);
        c11.intoArray(tile, 1 * NR2 + L);
        c20.intoArray(tile, 2 * NR2);
        c21.intoArray(tile, 2 * NR2 + L);
        c30.intoArray(tile, 3 * NR2);
        c31.intoArray(tile, 3 * NR2 + L);
        c40.intoArray(tile, 4 * NR2);
        c41.intoArray(tile, 4 * NR2 + L);
        c50.intoArray(tile, 5 * NR2);
        c51.intoArray(tile, 5 * NR2 + L);
        c60.intoArray(tile, 6 * NR2);
        c61.intoArray(tile, 6 * NR2 + L);
        c70.intoArray(tile, 7 * NR2);
        c71.intoArray(tile, 7 * NR2 + L);
    }

    /**
     * tile[0:6, 0:4 vectors] = A (6 rows: a[aAt + r·rs + k·ks]) · Bp panel (kc×NR2): 24 accumulators, 4 loads and 6
     * broadcasts per 24 FMAs, for 512-bit vectors; the sums go through the tile buffer, as micro8's.
     */
    private static void micro6x4(int kc, float[] a, int aAt, int rs, int ks, float[] bp, int bAt, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S), c43 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S), c53 = FloatVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int bi = bAt + k * NR4;
            int ak = aAt + k * ks;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = a0.lanewise(VectorOperators.FMA, b0, c00);
            c01 = a0.lanewise(VectorOperators.FMA, b1, c01);
            c02 = a0.lanewise(VectorOperators.FMA, b2, c02);
            c03 = a0.lanewise(VectorOperators.FMA, b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + rs]);
            c10 = a1.lanewise(VectorOperators.FMA, b0, c10);
            c11 = a1.lanewise(VectorOperators.FMA, b1, c11);
            c12 = a1.lanewise(VectorOperators.FMA, b2, c12);
            c13 = a1.lanewise(VectorOperators.FMA, b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2 * rs]);
            c20 = a2.lanewise(VectorOperators.FMA, b0, c20);
            c21 = a2.lanewise(VectorOperators.FMA, b1, c21);
            c22 = a2.lanewise(VectorOperators.FMA, b2, c22);
            c23 = a2.lanewise(VectorOperators.FMA, b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3 * rs]);
            c30 = a3.lanewise(VectorOperators.FMA, b0, c30);
            c31 = a3.lanewise(VectorOperators.FMA, b1, c31);
            c32 = a3.lanewise(VectorOperators.FMA, b2, c32);
            c33 = a3.lanewise(VectorOperators.FMA, b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, a[ak + 4 * rs]);
            c40 = a4.lanewise(VectorOperators.FMA, b0, c40);
            c41 = a4.lanewise(VectorOperators.FMA, b1, c41);
            c42 = a4.lanewise(VectorOperators.FMA, b2, c42);
            c43 = a4.lanewise(VectorOperators.FMA, b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, a[ak + 5 * rs]);
            c50 = a5.lanewise(VectorOperators.FMA, b0, c50);
            c51 = a5.lanewise(VectorOperators.FMA, b1, c51);
            c52 = a5.lanewise(VectorOperators.FMA, b2, c52);
            c53 = a5.lanewise(VectorOperators.FMA, b3, c53);
        }
        c00.intoArray(tile, 0 * NR4);
        c01.intoArray(tile, 0 * NR4 + L);
        c02.intoArray(tile, 0 * NR4 + 2 * L);
        c03.intoArray(tile, 0 * NR4 + 3 * L);
        c10.intoArray(tile, 1 * NR4);
        c11.intoArray(tile, 1 * NR4 + L);
        c12.intoArray(tile, 1 * NR4 + 2 * L);
        c13.intoArray(tile, 1 * NR4 + 3 * L);
        c20.intoArray(tile, 2 * NR4);
        c21.intoArray(tile, 2 * NR4 + L);
        c22.intoArray(tile, 2 * NR4 + 2 * L);
        c23.intoArray(tile, 2 * NR4 + 3 * L);
        c30.intoArray(tile, 3 * NR4);
        c31.intoArray(tile, 3 * NR4 + L);
        c32.intoArray(tile, 3 * NR4 + 2 * L);
        c33.intoArray(tile, 3 * NR4 + 3 * L);
        c40.intoArray(tile, 4 * NR4);
        c41.intoArray(tile, 4 * NR4 + L);
        c42.intoArray(tile, 4 * NR4 + 2 * L);
        c43.intoArray(tile, 4 * NR4 + 3 * L);
        c50.intoArray(tile, 5 * NR4);
        c51.intoArray(tile, 5 * NR4 + L);
        c52.intoArray(tile, 5 * NR4 + 2 * L);
        c53.intoArray(tile, 5 * NR4 + 3 * L);
    }

    /** C[0:MR, 0:NR] (row stride ldc, from cAt) += tile[0:MR, 0:NR]. */
    private static void addTile(Tile t, float[] tile, float[] c, int cAt, int ldc) {
        for (int r = 0; r < t.mr; r++) {
            for (int v = 0; v < t.nr; v += L) {
                int at = cAt + r * ldc + v;
                FloatVector.fromArray(S, c, at).add(FloatVector.fromArray(S, tile, r * t.nr + v)).intoArray(c, at);
            }
        }
    }

    private static void addRow(float[] c, int at, FloatVector v0, FloatVector v1) {
        FloatVector.fromArray(S, c, at).add(v0).intoArray(c, at);
        FloatVector.fromArray(S, c, at + L).add(v1).intoArray(c, at + L);
    }
}
