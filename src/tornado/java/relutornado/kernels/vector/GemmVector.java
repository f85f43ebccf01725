package relutornado.kernels.vector;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat4;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat8;
import uk.ac.manchester.tornado.api.types.vectors.Float16;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Float8;

/**
 * A matrix product for OpenCL CPU devices (PoCL and the like) on TornadoVM's vector types, run by the
 * {@code tornado} engine for the dense and convolution products with {@code --device-kernels vector} (the
 * {@code tuned} choice on CPU devices; the engine's {@code VectorVariants} maps each kernel onto it). TornadoVM
 * compiles each {@code float[]} access to scalar code that the driver's vectoriser cannot widen, so the vectors are
 * spelled out: each work-item owns a rows × width tile of outputs in {@code rows} accumulators of {@code width} floats
 * ({@link #gemm4}, {@link #gemm8}, {@link #gemm16}), and per step of the reduction it loads one vector of B and
 * broadcasts {@code rows} values of A, for {@code rows} vector multiply-adds. B comes packed ({@link #pack16} and its
 * siblings: per column tile, the K rows of that tile as one vector each), so its loads are whole vectors rather than
 * gathered floats. The default tile is 6 × 16 (six {@code float16} accumulators, twelve AVX2 registers, so none spills).
 * <pre>
 *   c[cOff + i·cis + j·cjs] = bias(j) + Σ_k A(i,k)·B(k,j)      rows i in [start, start + count), columns j &lt; cols, k &lt; K
 *   A(i,k) = a[aOff + i·ais + k·aks]   B: K × cols in panels   bias(j) = biasOff &lt; 0 ? 0 : bias[biasOff + j]
 *   work-items: ⌈cols / width⌉ (dim 0) × ⌈count / rows⌉ (dim 1)
 * </pre>
 * {@code rows} (1 to {@value #MAX_ROWS}), the strides and sizes are kernel scalars, which TornadoVM compiles in as
 * constants: the guards {@code rows > r} fold away and the kernel keeps exactly {@code rows} accumulators, so one method
 * per vector width serves every tile height and every layout of A, and the packs take B in any layout (transposed ones
 * included). A tile never leaves the matrix: the last tile of each dimension is shifted back to end at the edge and
 * recomputes, and rewrites with the same value, what its neighbour wrote; so count ≥ rows and cols ≥ width (the vector
 * family's fit rule in {@code relutornado.engine.KernelVariants}, which also wants K ≥ 8), and other products go to
 * another variant. Results equal the plain loops' up to float rounding (the sums run over k in order from the bias, as
 * the plain loops' do).
 */
public final class GemmVector {
    /** The most rows per work-item the kernels hold (twelve accumulators). */
    public static final int MAX_ROWS = 12;

    private GemmVector() {
    }

    /** The product on float4: each work-item a rows × 4 tile of outputs, rows ≤ {@value #MAX_ROWS}. */
    public static void gemm4(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int aOff, int ais, int aks,
                              VectorFloat4 panels, int K, float[] bias, int biasOff, int rows, int start, int count) {
        for (@Parallel int tj = 0; tj < (cols + 3) / 4; tj++) {
            for (@Parallel int ti = 0; ti < (count + rows - 1) / rows; ti++) {
                int j0 = Math.min(tj * 4, cols - 4);
                int i0 = start + Math.min(ti * rows, count - rows);
                // the sums start from the bias (or zero), as the plain kernels' do
                Float4 v = new Float4(0f, 0f, 0f, 0f);
                if (biasOff >= 0) {
                    v = load4(bias, biasOff + j0, 1);
                }
                Float4 c0 = v, c1 = v, c2 = v, c3 = v, c4 = v, c5 = v;
                Float4 c6 = v, c7 = v, c8 = v, c9 = v, c10 = v, c11 = v;
                for (int k = 0; k < K; k++) {
                    Float4 bk = panels.get(tj * K + k);
                    int ak = aOff + i0 * ais + k * aks;
                    c0 = Float4.add(c0, Float4.mult(bk, a[ak + 0 * ais]));
                    c1 = Float4.add(c1, Float4.mult(bk, a[ak + 1 * ais]));
                    if (rows > 2) { c2 = Float4.add(c2, Float4.mult(bk, a[ak + 2 * ais])); }
                    if (rows > 3) { c3 = Float4.add(c3, Float4.mult(bk, a[ak + 3 * ais])); }
                    if (rows > 4) { c4 = Float4.add(c4, Float4.mult(bk, a[ak + 4 * ais])); }
                    if (rows > 5) { c5 = Float4.add(c5, Float4.mult(bk, a[ak + 5 * ais])); }
                    if (rows > 6) { c6 = Float4.add(c6, Float4.mult(bk, a[ak + 6 * ais])); }
                    if (rows > 7) { c7 = Float4.add(c7, Float4.mult(bk, a[ak + 7 * ais])); }
                    if (rows > 8) { c8 = Float4.add(c8, Float4.mult(bk, a[ak + 8 * ais])); }
                    if (rows > 9) { c9 = Float4.add(c9, Float4.mult(bk, a[ak + 9 * ais])); }
                    if (rows > 10) { c10 = Float4.add(c10, Float4.mult(bk, a[ak + 10 * ais])); }
                    if (rows > 11) { c11 = Float4.add(c11, Float4.mult(bk, a[ak + 11 * ais])); }
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
            }
        }
    }

    /** The product on float8: each work-item a rows × 8 tile of outputs, rows ≤ {@value #MAX_ROWS}. */
    public static void gemm8(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int aOff, int ais, int aks,
                              VectorFloat8 panels, int K, float[] bias, int biasOff, int rows, int start, int count) {
        for (@Parallel int tj = 0; tj < (cols + 7) / 8; tj++) {
            for (@Parallel int ti = 0; ti < (count + rows - 1) / rows; ti++) {
                int j0 = Math.min(tj * 8, cols - 8);
                int i0 = start + Math.min(ti * rows, count - rows);
                // the sums start from the bias (or zero), as the plain kernels' do
                Float8 v = new Float8(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
                if (biasOff >= 0) {
                    v = load8(bias, biasOff + j0, 1);
                }
                Float8 c0 = v, c1 = v, c2 = v, c3 = v, c4 = v, c5 = v;
                Float8 c6 = v, c7 = v, c8 = v, c9 = v, c10 = v, c11 = v;
                for (int k = 0; k < K; k++) {
                    Float8 bk = panels.get(tj * K + k);
                    int ak = aOff + i0 * ais + k * aks;
                    c0 = Float8.add(c0, Float8.mult(bk, a[ak + 0 * ais]));
                    c1 = Float8.add(c1, Float8.mult(bk, a[ak + 1 * ais]));
                    if (rows > 2) { c2 = Float8.add(c2, Float8.mult(bk, a[ak + 2 * ais])); }
                    if (rows > 3) { c3 = Float8.add(c3, Float8.mult(bk, a[ak + 3 * ais])); }
                    if (rows > 4) { c4 = Float8.add(c4, Float8.mult(bk, a[ak + 4 * ais])); }
                    if (rows > 5) { c5 = Float8.add(c5, Float8.mult(bk, a[ak + 5 * ais])); }
                    if (rows > 6) { c6 = Float8.add(c6, Float8.mult(bk, a[ak + 6 * ais])); }
                    if (rows > 7) { c7 = Float8.add(c7, Float8.mult(bk, a[ak + 7 * ais])); }
                    if (rows > 8) { c8 = Float8.add(c8, Float8.mult(bk, a[ak + 8 * ais])); }
                    if (rows > 9) { c9 = Float8.add(c9, Float8.mult(bk, a[ak + 9 * ais])); }
                    if (rows > 10) { c10 = Float8.add(c10, Float8.mult(bk, a[ak + 10 * ais])); }
                    if (rows > 11) { c11 = Float8.add(c11, Float8.mult(bk, a[ak + 11 * ais])); }
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
            }
        }
    }

    /** The product on float16: each work-item a rows × 16 tile of outputs, rows ≤ {@value #MAX_ROWS}. */
    public static void gemm16(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int aOff, int ais, int aks,
                              VectorFloat16 panels, int K, float[] bias, int biasOff, int rows, int start, int count) {
        for (@Parallel int tj = 0; tj < (cols + 15) / 16; tj++) {
            for (@Parallel int ti = 0; ti < (count + rows - 1) / rows; ti++) {
                int j0 = Math.min(tj * 16, cols - 16);
                int i0 = start + Math.min(ti * rows, count - rows);
                // the sums start from the bias (or zero), as the plain kernels' do
                Float16 v = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
                if (biasOff >= 0) {
                    v = load16(bias, biasOff + j0, 1);
                }
                Float16 c0 = v, c1 = v, c2 = v, c3 = v, c4 = v, c5 = v;
                Float16 c6 = v, c7 = v, c8 = v, c9 = v, c10 = v, c11 = v;
                for (int k = 0; k < K; k++) {
                    Float16 bk = panels.get(tj * K + k);
                    int ak = aOff + i0 * ais + k * aks;
                    c0 = Float16.add(c0, Float16.mult(bk, a[ak + 0 * ais]));
                    c1 = Float16.add(c1, Float16.mult(bk, a[ak + 1 * ais]));
                    if (rows > 2) { c2 = Float16.add(c2, Float16.mult(bk, a[ak + 2 * ais])); }
                    if (rows > 3) { c3 = Float16.add(c3, Float16.mult(bk, a[ak + 3 * ais])); }
                    if (rows > 4) { c4 = Float16.add(c4, Float16.mult(bk, a[ak + 4 * ais])); }
                    if (rows > 5) { c5 = Float16.add(c5, Float16.mult(bk, a[ak + 5 * ais])); }
                    if (rows > 6) { c6 = Float16.add(c6, Float16.mult(bk, a[ak + 6 * ais])); }
                    if (rows > 7) { c7 = Float16.add(c7, Float16.mult(bk, a[ak + 7 * ais])); }
                    if (rows > 8) { c8 = Float16.add(c8, Float16.mult(bk, a[ak + 8 * ais])); }
                    if (rows > 9) { c9 = Float16.add(c9, Float16.mult(bk, a[ak + 9 * ais])); }
                    if (rows > 10) { c10 = Float16.add(c10, Float16.mult(bk, a[ak + 10 * ais])); }
                    if (rows > 11) { c11 = Float16.add(c11, Float16.mult(bk, a[ak + 11 * ais])); }
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
            }
        }
    }

    /**
     * B's panels for {@link #gemm16}: panels[p·K + k] = B(k, j0 … j0 + 15), B(k,j) = b[bOff + k·bks + j·bjs],
     * j0 = min(16p, cols − 16) (the gemm's column tiles). Overwrites. Range over k; work-items (k, panel).
     */
    public static void pack16(VectorFloat16 panels, float[] b, int bOff, int bks, int bjs, int K, int cols, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int p = 0; p < (cols + 15) / 16; p++) {
                int k = start + t;
                panels.set(p * K + k, load16(b, bOff + k * bks + Math.min(p * 16, cols - 16) * bjs, bjs));
            }
        }
    }

    /** B's float8 panels for {@link #gemm8}; see {@link #pack16}. */
    public static void pack8(VectorFloat8 panels, float[] b, int bOff, int bks, int bjs, int K, int cols, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int p = 0; p < (cols + 7) / 8; p++) {
                int k = start + t;
                panels.set(p * K + k, load8(b, bOff + k * bks + Math.min(p * 8, cols - 8) * bjs, bjs));
            }
        }
    }

    /** B's float4 panels for {@link #gemm4}; see {@link #pack16}. */
    public static void pack4(VectorFloat4 panels, float[] b, int bOff, int bks, int bjs, int K, int cols, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int p = 0; p < (cols + 3) / 4; p++) {
                int k = start + t;
                panels.set(p * K + k, load4(b, bOff + k * bks + Math.min(p * 4, cols - 4) * bjs, bjs));
            }
        }
    }

    /** Vector elements of the panels of a K × cols matrix in vectors of width floats. */
    public static int panelSize(int K, int cols, int width) {
        return (cols + width - 1) / width * K;
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
