package relutornado.kernels.vector;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.vectors.Float16;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Float8;

/**
 * A matrix product for OpenCL CPU devices (PoCL and the like) on TornadoVM's vector types, run by the
 * {@code tornado} engine for the dense and convolution products with {@code --device-kernels vector} (the
 * {@code tuned} choice on CPU devices; the engine's {@code VectorVariants} maps each kernel onto it). TornadoVM
 * compiles each {@code float[]} access to scalar code that the driver's vectoriser cannot widen, so the vectors are
 * spelled out: each work-item owns rows × vecs·width outputs in rows × vecs accumulators of {@code width} floats
 * ({@link #gemm4}, {@link #gemm8}, {@link #gemm16}), and per step of the reduction it loads vecs vectors of B and
 * broadcasts {@code rows} values of A, for rows × vecs vector multiply-adds (two vectors a row as java-parallel's 8×2
 * tile: fewer A loads per multiply-add). B is read in place when its columns are contiguous (a vector of B is then
 * {@code width} neighbouring floats, which the driver loads as one); a B with strided columns (a transposed operand)
 * is first copied by {@link #pack16} (or pack4, pack8: the gemm's width). The default tile is 6 × 16 × 1 (six {@code float16} accumulators, twelve AVX2
 * registers, so none spills).
 * <pre>
 *   c[cOff + i·cis + j·cjs] = bias(j) + Σ_k A(i,k)·B(k,j)      rows i in [start, start + count), columns j &lt; cols, k &lt; K
 *   A(i,k) = a[aOff + i·ais + k·aks]   B(k,j) = b[bOff + k·bks + j]   bias(j) = biasOff &lt; 0 ? 0 : bias[biasOff + j]
 *   work-items: ⌈⌈cols / width⌉ / vecs⌉ (dim 0) × ⌈count / rows⌉ (dim 1)
 * </pre>
 * {@code rows} (1 to {@value #MAX_ROWS}), {@code vecs} (1 or 2), {@code fused} (1: the multiply-adds as {@code fma}; see
 * {@link #fma16}), the strides and sizes are kernel scalars, which
 * TornadoVM compiles in as constants: the guards {@code rows > r} and {@code vecs > 1} fold away and the kernel keeps
 * exactly rows × vecs accumulators, so one method per vector width serves every tile and every layout of A. A tile
 * never leaves the matrix: the last tile of each dimension is shifted back to end at the edge and recomputes, and
 * rewrites with the same value, what its neighbour wrote; so count ≥ rows and cols ≥ vecs·width (the vector family's
 * fit rule in {@code relutornado.engine.KernelVariants}, which also wants K ≥ 8), and other products go to another
 * variant. Results equal the plain loops' up to float rounding (the sums run over k in order from the bias, as the
 * plain loops' do).
 */
public final class GemmVector {
    /** The most rows per work-item the kernels hold (twelve accumulators a vector column). */
    public static final int MAX_ROWS = 12;

    private GemmVector() {
    }

    /** The product on float4: each work-item rows × vecs·4 outputs, rows ≤ {@value #MAX_ROWS}, vecs 1 or 2. */
    public static void gemm4(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int aOff, int ais, int aks,
                              float[] b, int bOff, int bks, int K, float[] bias, int biasOff, int rows, int vecs, int fused, int start, int count) {
        for (@Parallel int tj = 0; tj < ((cols + 3) / 4 + vecs - 1) / vecs; tj++) {
            for (@Parallel int ti = 0; ti < (count + rows - 1) / rows; ti++) {
                // column tiles p and p + 1 (vecs 2), each shifted back to end at the edge
                int p = Math.min(tj * vecs, (cols + 3) / 4 - vecs);
                int j0 = Math.min(p * 4, cols - 4);
                int j1 = Math.min(p * 4 + 4, cols - 4);
                int i0 = start + Math.min(ti * rows, count - rows);
                // the sums start from the bias (or zero), as the plain kernels' do
                Float4 v = new Float4(0f, 0f, 0f, 0f);
                Float4 w = v;
                if (biasOff >= 0) {
                    v = load4(bias, biasOff + j0, 1);
                    w = load4(bias, biasOff + j1, 1);
                }
                Float4 c0 = v, c1 = v, c2 = v, c3 = v, c4 = v, c5 = v, c6 = v, c7 = v, c8 = v, c9 = v, c10 = v, c11 = v;
                Float4 d0 = w, d1 = w, d2 = w, d3 = w, d4 = w, d5 = w, d6 = w, d7 = w, d8 = w, d9 = w, d10 = w, d11 = w;
                for (int k = 0; k < K; k++) {
                    int bk = bOff + k * bks;
                    Float4 b0 = load4(b, bk + j0, 1);
                    Float4 b1 = b0;
                    if (vecs > 1) {
                        b1 = load4(b, bk + j1, 1);
                    }
                    int ak = aOff + i0 * ais + k * aks;
                    float a0 = a[ak + 0 * ais]; c0 = fma4(c0, b0, a0, fused);
                    if (vecs > 1) { d0 = fma4(d0, b1, a0, fused); }
                    float a1 = a[ak + 1 * ais]; c1 = fma4(c1, b0, a1, fused);
                    if (vecs > 1) { d1 = fma4(d1, b1, a1, fused); }
                    if (rows > 2) {
                        float a2 = a[ak + 2 * ais]; c2 = fma4(c2, b0, a2, fused);
                        if (vecs > 1) { d2 = fma4(d2, b1, a2, fused); }
                    }
                    if (rows > 3) {
                        float a3 = a[ak + 3 * ais]; c3 = fma4(c3, b0, a3, fused);
                        if (vecs > 1) { d3 = fma4(d3, b1, a3, fused); }
                    }
                    if (rows > 4) {
                        float a4 = a[ak + 4 * ais]; c4 = fma4(c4, b0, a4, fused);
                        if (vecs > 1) { d4 = fma4(d4, b1, a4, fused); }
                    }
                    if (rows > 5) {
                        float a5 = a[ak + 5 * ais]; c5 = fma4(c5, b0, a5, fused);
                        if (vecs > 1) { d5 = fma4(d5, b1, a5, fused); }
                    }
                    if (rows > 6) {
                        float a6 = a[ak + 6 * ais]; c6 = fma4(c6, b0, a6, fused);
                        if (vecs > 1) { d6 = fma4(d6, b1, a6, fused); }
                    }
                    if (rows > 7) {
                        float a7 = a[ak + 7 * ais]; c7 = fma4(c7, b0, a7, fused);
                        if (vecs > 1) { d7 = fma4(d7, b1, a7, fused); }
                    }
                    if (rows > 8) {
                        float a8 = a[ak + 8 * ais]; c8 = fma4(c8, b0, a8, fused);
                        if (vecs > 1) { d8 = fma4(d8, b1, a8, fused); }
                    }
                    if (rows > 9) {
                        float a9 = a[ak + 9 * ais]; c9 = fma4(c9, b0, a9, fused);
                        if (vecs > 1) { d9 = fma4(d9, b1, a9, fused); }
                    }
                    if (rows > 10) {
                        float a10 = a[ak + 10 * ais]; c10 = fma4(c10, b0, a10, fused);
                        if (vecs > 1) { d10 = fma4(d10, b1, a10, fused); }
                    }
                    if (rows > 11) {
                        float a11 = a[ak + 11 * ais]; c11 = fma4(c11, b0, a11, fused);
                        if (vecs > 1) { d11 = fma4(d11, b1, a11, fused); }
                    }
                }
                int o = cOff + i0 * cis + j0 * cjs;
                store4(c, o + 0 * cis, cjs, c0);
                store4(c, o + 1 * cis, cjs, c1);
                if (rows > 2) { store4(c, o + 2 * cis, cjs, c2); }
                if (rows > 3) { store4(c, o + 3 * cis, cjs, c3); }
                if (rows > 4) { store4(c, o + 4 * cis, cjs, c4); }
                if (rows > 5) { store4(c, o + 5 * cis, cjs, c5); }
                if (rows > 6) { store4(c, o + 6 * cis, cjs, c6); }
                if (rows > 7) { store4(c, o + 7 * cis, cjs, c7); }
                if (rows > 8) { store4(c, o + 8 * cis, cjs, c8); }
                if (rows > 9) { store4(c, o + 9 * cis, cjs, c9); }
                if (rows > 10) { store4(c, o + 10 * cis, cjs, c10); }
                if (rows > 11) { store4(c, o + 11 * cis, cjs, c11); }
                if (vecs > 1) {
                    int o1 = cOff + i0 * cis + j1 * cjs;
                    store4(c, o1 + 0 * cis, cjs, d0);
                    store4(c, o1 + 1 * cis, cjs, d1);
                    if (rows > 2) { store4(c, o1 + 2 * cis, cjs, d2); }
                    if (rows > 3) { store4(c, o1 + 3 * cis, cjs, d3); }
                    if (rows > 4) { store4(c, o1 + 4 * cis, cjs, d4); }
                    if (rows > 5) { store4(c, o1 + 5 * cis, cjs, d5); }
                    if (rows > 6) { store4(c, o1 + 6 * cis, cjs, d6); }
                    if (rows > 7) { store4(c, o1 + 7 * cis, cjs, d7); }
                    if (rows > 8) { store4(c, o1 + 8 * cis, cjs, d8); }
                    if (rows > 9) { store4(c, o1 + 9 * cis, cjs, d9); }
                    if (rows > 10) { store4(c, o1 + 10 * cis, cjs, d10); }
                    if (rows > 11) { store4(c, o1 + 11 * cis, cjs, d11); }
                }
            }
        }
    }

    /** The product on float8: each work-item rows × vecs·8 outputs, rows ≤ {@value #MAX_ROWS}, vecs 1 or 2. */
    public static void gemm8(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int aOff, int ais, int aks,
                              float[] b, int bOff, int bks, int K, float[] bias, int biasOff, int rows, int vecs, int fused, int start, int count) {
        for (@Parallel int tj = 0; tj < ((cols + 7) / 8 + vecs - 1) / vecs; tj++) {
            for (@Parallel int ti = 0; ti < (count + rows - 1) / rows; ti++) {
                // column tiles p and p + 1 (vecs 2), each shifted back to end at the edge
                int p = Math.min(tj * vecs, (cols + 7) / 8 - vecs);
                int j0 = Math.min(p * 8, cols - 8);
                int j1 = Math.min(p * 8 + 8, cols - 8);
                int i0 = start + Math.min(ti * rows, count - rows);
                // the sums start from the bias (or zero), as the plain kernels' do
                Float8 v = new Float8(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
                Float8 w = v;
                if (biasOff >= 0) {
                    v = load8(bias, biasOff + j0, 1);
                    w = load8(bias, biasOff + j1, 1);
                }
                Float8 c0 = v, c1 = v, c2 = v, c3 = v, c4 = v, c5 = v, c6 = v, c7 = v, c8 = v, c9 = v, c10 = v, c11 = v;
                Float8 d0 = w, d1 = w, d2 = w, d3 = w, d4 = w, d5 = w, d6 = w, d7 = w, d8 = w, d9 = w, d10 = w, d11 = w;
                for (int k = 0; k < K; k++) {
                    int bk = bOff + k * bks;
                    Float8 b0 = load8(b, bk + j0, 1);
                    Float8 b1 = b0;
                    if (vecs > 1) {
                        b1 = load8(b, bk + j1, 1);
                    }
                    int ak = aOff + i0 * ais + k * aks;
                    float a0 = a[ak + 0 * ais]; c0 = fma8(c0, b0, a0, fused);
                    if (vecs > 1) { d0 = fma8(d0, b1, a0, fused); }
                    float a1 = a[ak + 1 * ais]; c1 = fma8(c1, b0, a1, fused);
                    if (vecs > 1) { d1 = fma8(d1, b1, a1, fused); }
                    if (rows > 2) {
                        float a2 = a[ak + 2 * ais]; c2 = fma8(c2, b0, a2, fused);
                        if (vecs > 1) { d2 = fma8(d2, b1, a2, fused); }
                    }
                    if (rows > 3) {
                        float a3 = a[ak + 3 * ais]; c3 = fma8(c3, b0, a3, fused);
                        if (vecs > 1) { d3 = fma8(d3, b1, a3, fused); }
                    }
                    if (rows > 4) {
                        float a4 = a[ak + 4 * ais]; c4 = fma8(c4, b0, a4, fused);
                        if (vecs > 1) { d4 = fma8(d4, b1, a4, fused); }
                    }
                    if (rows > 5) {
                        float a5 = a[ak + 5 * ais]; c5 = fma8(c5, b0, a5, fused);
                        if (vecs > 1) { d5 = fma8(d5, b1, a5, fused); }
                    }
                    if (rows > 6) {
                        float a6 = a[ak + 6 * ais]; c6 = fma8(c6, b0, a6, fused);
                        if (vecs > 1) { d6 = fma8(d6, b1, a6, fused); }
                    }
                    if (rows > 7) {
                        float a7 = a[ak + 7 * ais]; c7 = fma8(c7, b0, a7, fused);
                        if (vecs > 1) { d7 = fma8(d7, b1, a7, fused); }
                    }
                    if (rows > 8) {
                        float a8 = a[ak + 8 * ais]; c8 = fma8(c8, b0, a8, fused);
                        if (vecs > 1) { d8 = fma8(d8, b1, a8, fused); }
                    }
                    if (rows > 9) {
                        float a9 = a[ak + 9 * ais]; c9 = fma8(c9, b0, a9, fused);
                        if (vecs > 1) { d9 = fma8(d9, b1, a9, fused); }
                    }
                    if (rows > 10) {
                        float a10 = a[ak + 10 * ais]; c10 = fma8(c10, b0, a10, fused);
                        if (vecs > 1) { d10 = fma8(d10, b1, a10, fused); }
                    }
                    if (rows > 11) {
                        float a11 = a[ak + 11 * ais]; c11 = fma8(c11, b0, a11, fused);
                        if (vecs > 1) { d11 = fma8(d11, b1, a11, fused); }
                    }
                }
                int o = cOff + i0 * cis + j0 * cjs;
                store8(c, o + 0 * cis, cjs, c0);
                store8(c, o + 1 * cis, cjs, c1);
                if (rows > 2) { store8(c, o + 2 * cis, cjs, c2); }
                if (rows > 3) { store8(c, o + 3 * cis, cjs, c3); }
                if (rows > 4) { store8(c, o + 4 * cis, cjs, c4); }
                if (rows > 5) { store8(c, o + 5 * cis, cjs, c5); }
                if (rows > 6) { store8(c, o + 6 * cis, cjs, c6); }
                if (rows > 7) { store8(c, o + 7 * cis, cjs, c7); }
                if (rows > 8) { store8(c, o + 8 * cis, cjs, c8); }
                if (rows > 9) { store8(c, o + 9 * cis, cjs, c9); }
                if (rows > 10) { store8(c, o + 10 * cis, cjs, c10); }
                if (rows > 11) { store8(c, o + 11 * cis, cjs, c11); }
                if (vecs > 1) {
                    int o1 = cOff + i0 * cis + j1 * cjs;
                    store8(c, o1 + 0 * cis, cjs, d0);
                    store8(c, o1 + 1 * cis, cjs, d1);
                    if (rows > 2) { store8(c, o1 + 2 * cis, cjs, d2); }
                    if (rows > 3) { store8(c, o1 + 3 * cis, cjs, d3); }
                    if (rows > 4) { store8(c, o1 + 4 * cis, cjs, d4); }
                    if (rows > 5) { store8(c, o1 + 5 * cis, cjs, d5); }
                    if (rows > 6) { store8(c, o1 + 6 * cis, cjs, d6); }
                    if (rows > 7) { store8(c, o1 + 7 * cis, cjs, d7); }
                    if (rows > 8) { store8(c, o1 + 8 * cis, cjs, d8); }
                    if (rows > 9) { store8(c, o1 + 9 * cis, cjs, d9); }
                    if (rows > 10) { store8(c, o1 + 10 * cis, cjs, d10); }
                    if (rows > 11) { store8(c, o1 + 11 * cis, cjs, d11); }
                }
            }
        }
    }

    /** The product on float16: each work-item rows × vecs·16 outputs, rows ≤ {@value #MAX_ROWS}, vecs 1 or 2. */
    public static void gemm16(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int aOff, int ais, int aks,
                              float[] b, int bOff, int bks, int K, float[] bias, int biasOff, int rows, int vecs, int fused, int start, int count) {
        for (@Parallel int tj = 0; tj < ((cols + 15) / 16 + vecs - 1) / vecs; tj++) {
            for (@Parallel int ti = 0; ti < (count + rows - 1) / rows; ti++) {
                // column tiles p and p + 1 (vecs 2), each shifted back to end at the edge
                int p = Math.min(tj * vecs, (cols + 15) / 16 - vecs);
                int j0 = Math.min(p * 16, cols - 16);
                int j1 = Math.min(p * 16 + 16, cols - 16);
                int i0 = start + Math.min(ti * rows, count - rows);
                // the sums start from the bias (or zero), as the plain kernels' do
                Float16 v = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
                Float16 w = v;
                if (biasOff >= 0) {
                    v = load16(bias, biasOff + j0, 1);
                    w = load16(bias, biasOff + j1, 1);
                }
                Float16 c0 = v, c1 = v, c2 = v, c3 = v, c4 = v, c5 = v, c6 = v, c7 = v, c8 = v, c9 = v, c10 = v, c11 = v;
                Float16 d0 = w, d1 = w, d2 = w, d3 = w, d4 = w, d5 = w, d6 = w, d7 = w, d8 = w, d9 = w, d10 = w, d11 = w;
                for (int k = 0; k < K; k++) {
                    int bk = bOff + k * bks;
                    Float16 b0 = load16(b, bk + j0, 1);
                    Float16 b1 = b0;
                    if (vecs > 1) {
                        b1 = load16(b, bk + j1, 1);
                    }
                    int ak = aOff + i0 * ais + k * aks;
                    float a0 = a[ak + 0 * ais]; c0 = fma16(c0, b0, a0, fused);
                    if (vecs > 1) { d0 = fma16(d0, b1, a0, fused); }
                    float a1 = a[ak + 1 * ais]; c1 = fma16(c1, b0, a1, fused);
                    if (vecs > 1) { d1 = fma16(d1, b1, a1, fused); }
                    if (rows > 2) {
                        float a2 = a[ak + 2 * ais]; c2 = fma16(c2, b0, a2, fused);
                        if (vecs > 1) { d2 = fma16(d2, b1, a2, fused); }
                    }
                    if (rows > 3) {
                        float a3 = a[ak + 3 * ais]; c3 = fma16(c3, b0, a3, fused);
                        if (vecs > 1) { d3 = fma16(d3, b1, a3, fused); }
                    }
                    if (rows > 4) {
                        float a4 = a[ak + 4 * ais]; c4 = fma16(c4, b0, a4, fused);
                        if (vecs > 1) { d4 = fma16(d4, b1, a4, fused); }
                    }
                    if (rows > 5) {
                        float a5 = a[ak + 5 * ais]; c5 = fma16(c5, b0, a5, fused);
                        if (vecs > 1) { d5 = fma16(d5, b1, a5, fused); }
                    }
                    if (rows > 6) {
                        float a6 = a[ak + 6 * ais]; c6 = fma16(c6, b0, a6, fused);
                        if (vecs > 1) { d6 = fma16(d6, b1, a6, fused); }
                    }
                    if (rows > 7) {
                        float a7 = a[ak + 7 * ais]; c7 = fma16(c7, b0, a7, fused);
                        if (vecs > 1) { d7 = fma16(d7, b1, a7, fused); }
                    }
                    if (rows > 8) {
                        float a8 = a[ak + 8 * ais]; c8 = fma16(c8, b0, a8, fused);
                        if (vecs > 1) { d8 = fma16(d8, b1, a8, fused); }
                    }
                    if (rows > 9) {
                        float a9 = a[ak + 9 * ais]; c9 = fma16(c9, b0, a9, fused);
                        if (vecs > 1) { d9 = fma16(d9, b1, a9, fused); }
                    }
                    if (rows > 10) {
                        float a10 = a[ak + 10 * ais]; c10 = fma16(c10, b0, a10, fused);
                        if (vecs > 1) { d10 = fma16(d10, b1, a10, fused); }
                    }
                    if (rows > 11) {
                        float a11 = a[ak + 11 * ais]; c11 = fma16(c11, b0, a11, fused);
                        if (vecs > 1) { d11 = fma16(d11, b1, a11, fused); }
                    }
                }
                int o = cOff + i0 * cis + j0 * cjs;
                store16(c, o + 0 * cis, cjs, c0);
                store16(c, o + 1 * cis, cjs, c1);
                if (rows > 2) { store16(c, o + 2 * cis, cjs, c2); }
                if (rows > 3) { store16(c, o + 3 * cis, cjs, c3); }
                if (rows > 4) { store16(c, o + 4 * cis, cjs, c4); }
                if (rows > 5) { store16(c, o + 5 * cis, cjs, c5); }
                if (rows > 6) { store16(c, o + 6 * cis, cjs, c6); }
                if (rows > 7) { store16(c, o + 7 * cis, cjs, c7); }
                if (rows > 8) { store16(c, o + 8 * cis, cjs, c8); }
                if (rows > 9) { store16(c, o + 9 * cis, cjs, c9); }
                if (rows > 10) { store16(c, o + 10 * cis, cjs, c10); }
                if (rows > 11) { store16(c, o + 11 * cis, cjs, c11); }
                if (vecs > 1) {
                    int o1 = cOff + i0 * cis + j1 * cjs;
                    store16(c, o1 + 0 * cis, cjs, d0);
                    store16(c, o1 + 1 * cis, cjs, d1);
                    if (rows > 2) { store16(c, o1 + 2 * cis, cjs, d2); }
                    if (rows > 3) { store16(c, o1 + 3 * cis, cjs, d3); }
                    if (rows > 4) { store16(c, o1 + 4 * cis, cjs, d4); }
                    if (rows > 5) { store16(c, o1 + 5 * cis, cjs, d5); }
                    if (rows > 6) { store16(c, o1 + 6 * cis, cjs, d6); }
                    if (rows > 7) { store16(c, o1 + 7 * cis, cjs, d7); }
                    if (rows > 8) { store16(c, o1 + 8 * cis, cjs, d8); }
                    if (rows > 9) { store16(c, o1 + 9 * cis, cjs, d9); }
                    if (rows > 10) { store16(c, o1 + 10 * cis, cjs, d10); }
                    if (rows > 11) { store16(c, o1 + 11 * cis, cjs, d11); }
                }
            }
        }
    }

    /**
     * B copied with its columns contiguous, for {@link #gemm16} when B's own columns are strided (a transposed operand):
     * packed[k·cols + j] = b[bOff + k·bks + j·bjs], k &lt; K, j &lt; cols, cols ≥ 16. Each work-item gathers 16 columns
     * of a row and stores them as one vector (the last group shifted back to end at the edge), 2–3× faster on PoCL
     * than one float a work-item. Overwrites. Work-items (k, ⌈cols/16⌉).
     */
    public static void pack16(float[] packed, float[] b, int bOff, int bks, int bjs, int K, int cols) {
        for (@Parallel int k = 0; k < K; k++) {
            for (@Parallel int p = 0; p < (cols + 15) / 16; p++) {
                int j0 = Math.min(p * 16, cols - 16);
                store16(packed, k * cols + j0, 1, load16(b, bOff + k * bks + j0 * bjs, bjs));
            }
        }
    }

    /**
     * Three {@link #pack16} copies out of one array b in one task (K ≥ 1 each): the engine merges a phase's packs of the
     * weights this way, one host round trip instead of three. Work-items (k, column group) over the largest K and the
     * three matrices' groups side by side; a work-item past its matrix's K does nothing (no division to find the matrix:
     * Oclgrind cannot check the code LLVM makes of one). Overwrites.
     */
    public static void pack16x3(float[] b, float[] p0, int off0, int ks0, int js0, int K0, int cols0,
                                float[] p1, int off1, int ks1, int js1, int K1, int cols1,
                                float[] p2, int off2, int ks2, int js2, int K2, int cols2) {
        for (@Parallel int k = 0; k < Math.max(K0, Math.max(K1, K2)); k++) {
            for (@Parallel int p = 0; p < (cols0 + 15) / 16 + (cols1 + 15) / 16 + (cols2 + 15) / 16; p++) {
                int g1 = (cols0 + 15) / 16;
                int g2 = g1 + (cols1 + 15) / 16;
                if (p < g1) {
                    if (k < K0) {
                        packGroup16(p0, b, off0, ks0, js0, cols0, k, p);
                    }
                } else if (p < g2) {
                    if (k < K1) {
                        packGroup16(p1, b, off1, ks1, js1, cols1, k, p - g1);
                    }
                } else if (k < K2) {
                    packGroup16(p2, b, off2, ks2, js2, cols2, k, p - g2);
                }
            }
        }
    }

    /** Row k, column group p of {@link #pack16}. */
    private static void packGroup16(float[] packed, float[] b, int bOff, int bks, int bjs, int cols, int k, int p) {
        int j0 = Math.min(p * 16, cols - 16);
        store16(packed, k * cols + j0, 1, load16(b, bOff + k * bks + j0 * bjs, bjs));
    }

    /** As {@link #pack16} in groups of 8 columns, for {@link #gemm8} (cols ≥ 8). */
    public static void pack8(float[] packed, float[] b, int bOff, int bks, int bjs, int K, int cols) {
        for (@Parallel int k = 0; k < K; k++) {
            for (@Parallel int p = 0; p < (cols + 7) / 8; p++) {
                int j0 = Math.min(p * 8, cols - 8);
                store8(packed, k * cols + j0, 1, load8(b, bOff + k * bks + j0 * bjs, bjs));
            }
        }
    }

    /** As {@link #pack16} in groups of 4 columns, for {@link #gemm4} (cols ≥ 4). */
    public static void pack4(float[] packed, float[] b, int bOff, int bks, int bjs, int K, int cols) {
        for (@Parallel int k = 0; k < K; k++) {
            for (@Parallel int p = 0; p < (cols + 3) / 4; p++) {
                int j0 = Math.min(p * 4, cols - 4);
                store4(packed, k * cols + j0, 1, load4(b, bOff + k * bks + j0 * bjs, bjs));
            }
        }
    }

    /**
     * c + b·a lane by lane. With {@code fused} (a kernel scalar, so TornadoVM compiles one branch) each lane's
     * {@code c + b·a} is a scalar multiply-add, which TornadoVM's OpenCL backend emits as {@code fma} (PoCL:
     * {@code vfmadd231ps}); {@code Float16.add(c, Float16.mult(b, a))} stays a vector multiply and a vector add
     * ({@code vmulps} + {@code vaddps}). TornadoVM 5.2's SPIR-V backend emits invalid SPIR-V for the fused form (an fma
     * of vector lanes), so the engine passes {@code fused} 0 there ({@code VectorVariants.forBackend}).
     */
    static Float16 fma16(Float16 c, Float16 b, float a, int fused) {
        if (fused == 0) {
            return Float16.add(c, Float16.mult(b, a));
        }
        return new Float16(c.get(0) + b.get(0) * a, c.get(1) + b.get(1) * a, c.get(2) + b.get(2) * a, c.get(3) + b.get(3) * a,
                c.get(4) + b.get(4) * a, c.get(5) + b.get(5) * a, c.get(6) + b.get(6) * a, c.get(7) + b.get(7) * a,
                c.get(8) + b.get(8) * a, c.get(9) + b.get(9) * a, c.get(10) + b.get(10) * a, c.get(11) + b.get(11) * a,
                c.get(12) + b.get(12) * a, c.get(13) + b.get(13) * a, c.get(14) + b.get(14) * a, c.get(15) + b.get(15) * a);
    }

    /** c + b·a lane by lane (see {@link #fma16}). */
    static Float8 fma8(Float8 c, Float8 b, float a, int fused) {
        if (fused == 0) {
            return Float8.add(c, Float8.mult(b, a));
        }
        return new Float8(c.get(0) + b.get(0) * a, c.get(1) + b.get(1) * a, c.get(2) + b.get(2) * a, c.get(3) + b.get(3) * a,
                c.get(4) + b.get(4) * a, c.get(5) + b.get(5) * a, c.get(6) + b.get(6) * a, c.get(7) + b.get(7) * a);
    }

    /** c + b·a lane by lane (see {@link #fma16}). */
    static Float4 fma4(Float4 c, Float4 b, float a, int fused) {
        if (fused == 0) {
            return Float4.add(c, Float4.mult(b, a));
        }
        return new Float4(c.get(0) + b.get(0) * a, c.get(1) + b.get(1) * a, c.get(2) + b.get(2) * a, c.get(3) + b.get(3) * a);
    }

    /** b[o], b[o + s], …, b[o + 15·s] as one vector. */
    static Float16 load16(float[] b, int o, int s) {
        return new Float16(b[o + 0 * s], b[o + 1 * s], b[o + 2 * s], b[o + 3 * s],
                b[o + 4 * s], b[o + 5 * s], b[o + 6 * s], b[o + 7 * s],
                b[o + 8 * s], b[o + 9 * s], b[o + 10 * s], b[o + 11 * s],
                b[o + 12 * s], b[o + 13 * s], b[o + 14 * s], b[o + 15 * s]);
    }

    /** b[o], b[o + s], …, b[o + 7·s] as one vector. */
    static Float8 load8(float[] b, int o, int s) {
        return new Float8(b[o + 0 * s], b[o + 1 * s], b[o + 2 * s], b[o + 3 * s],
                b[o + 4 * s], b[o + 5 * s], b[o + 6 * s], b[o + 7 * s]);
    }

    /** b[o], b[o + s], …, b[o + 3·s] as one vector. */
    static Float4 load4(float[] b, int o, int s) {
        return new Float4(b[o + 0 * s], b[o + 1 * s], b[o + 2 * s], b[o + 3 * s]);
    }

    /**
     * Stores a vector as 16 outputs c[o], c[o + s], …, c[o + 15·s]. Each lane goes through an addition before its
     * store: TornadoVM 5.2's SPIR-V backend cannot store a vector lane directly (the portable kernel subset); x + 0 is
     * x except that -0 becomes +0.
     */
    static void store16(float[] c, int o, int s, Float16 v) {
        for (int e = 0; e < 16; e++) {
            c[o + e * s] = v.get(e) + 0.0f;
        }
    }

    /** Stores a vector as 8 outputs c[o], c[o + s], …, c[o + 7·s], each lane through an addition (see {@link #store16}). */
    static void store8(float[] c, int o, int s, Float8 v) {
        for (int e = 0; e < 8; e++) {
            c[o + e * s] = v.get(e) + 0.0f;
        }
    }

    /** Stores a vector as 4 outputs c[o], c[o + s], …, c[o + 3·s], each lane through an addition (see {@link #store16}). */
    static void store4(float[] c, int o, int s, Float4 v) {
        for (int e = 0; e < 4; e++) {
            c[o + e * s] = v.get(e) + 0.0f;
        }
    }
}
