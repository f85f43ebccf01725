package relutornado.kernels.vector;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;
import uk.ac.manchester.tornado.api.types.vectors.Float16;

/**
 * A matrix product for OpenCL CPU devices (PoCL and the like) on TornadoVM's vector types, run by the
 * {@code tornado} engine for the dense and convolution products with {@code --device-kernels vector} (the
 * {@code tuned} choice on CPU devices; the engine's {@code VectorVariants} maps each kernel onto it). TornadoVM
 * compiles each {@code float[]} access to scalar code that the driver's vectoriser cannot widen, so the vectors are
 * spelled out: each work-item owns an {@value #ROWS}×{@value #COLS} tile of outputs in six {@code float16}
 * accumulators (twelve AVX2 registers, so none spills), and per step of the reduction it loads one {@code float16} of
 * B and broadcasts 6 values of A, for 6 vector multiply-adds. B comes packed ({@link #pack}: per column tile of 16,
 * the K rows of that tile as {@code float16} in a {@code VectorFloat16}), so its loads are whole vectors rather than
 * 16 gathered floats.
 * <pre>
 *   c[cOff + i·cis + j·cjs] = bias(j) + Σ_k A(i,k)·B(k,j)      rows i in [start, start + count), columns j &lt; cols, k &lt; K
 *   A(i,k) = a[aOff + i·ais + k·aks]   B: K × cols in panels   bias(j) = biasOff &lt; 0 ? 0 : bias[biasOff + j]
 *   work-items: ⌈cols / 16⌉ (dim 0) × ⌈count / 6⌉ (dim 1)
 * </pre>
 * The strides are kernel scalars, which TornadoVM compiles in as constants, so one kernel serves every layout of A,
 * and {@link #pack} takes B in any layout (transposed ones included). A tile never leaves the matrix: the last tile of each dimension is shifted back to end at the edge and recomputes, and
 * rewrites with the same value, what its neighbour wrote; so count ≥ 6 and cols ≥ 16 (the vector family's fit rule in
 * {@code relutornado.engine.KernelVariants}, which also wants K ≥ 8), and other products go to another variant. Results equal the plain loops' up to float rounding (the sums run
 * over k in order from the bias, as the plain loops' do).
 */
public final class GemmVector {
    /** Rows and columns of a work-item's output tile. */
    public static final int ROWS = 6;
    public static final int COLS = 16;

    private GemmVector() {
    }

    public static void gemm(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int aOff, int ais, int aks,
                            VectorFloat16 panels, int K, float[] bias, int biasOff, int start, int count) {
        for (@Parallel int tj = 0; tj < (cols + COLS - 1) / COLS; tj++) {
            for (@Parallel int ti = 0; ti < (count + ROWS - 1) / ROWS; ti++) {
                int j0 = Math.min(tj * COLS, cols - COLS);
                int i0 = start + Math.min(ti * ROWS, count - ROWS);
                // the sums start from the bias (or zero), as the plain kernels' do
                Float16 v = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
                if (biasOff >= 0) {
                    v = load16(bias, biasOff + j0, 1);
                }
                Float16 c0 = v;
                Float16 c1 = v;
                Float16 c2 = v;
                Float16 c3 = v;
                Float16 c4 = v;
                Float16 c5 = v;
                for (int k = 0; k < K; k++) {
                    Float16 bk = panels.get(tj * K + k);
                    int ak = aOff + i0 * ais + k * aks;
                    float x0 = a[ak + 0 * ais];
                    float x1 = a[ak + 1 * ais];
                    float x2 = a[ak + 2 * ais];
                    float x3 = a[ak + 3 * ais];
                    float x4 = a[ak + 4 * ais];
                    float x5 = a[ak + 5 * ais];
                    c0 = Float16.add(c0, Float16.mult(bk, x0));
                    c1 = Float16.add(c1, Float16.mult(bk, x1));
                    c2 = Float16.add(c2, Float16.mult(bk, x2));
                    c3 = Float16.add(c3, Float16.mult(bk, x3));
                    c4 = Float16.add(c4, Float16.mult(bk, x4));
                    c5 = Float16.add(c5, Float16.mult(bk, x5));
                }
                int o = cOff + i0 * cis + j0 * cjs;
                store16(c, o + 0 * cis, cjs, c0);
                store16(c, o + 1 * cis, cjs, c1);
                store16(c, o + 2 * cis, cjs, c2);
                store16(c, o + 3 * cis, cjs, c3);
                store16(c, o + 4 * cis, cjs, c4);
                store16(c, o + 5 * cis, cjs, c5);
            }
        }
    }

    /**
     * B's panels for {@link #gemm}: panels[p·K + k] = B(k, j0 … j0 + 15), B(k,j) = b[bOff + k·bks + j·bjs],
     * j0 = min(16p, cols − 16) (the gemm's column tiles). Overwrites. Range over k; work-items (k, panel).
     */
    public static void pack(VectorFloat16 panels, float[] b, int bOff, int bks, int bjs, int K, int cols, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int p = 0; p < (cols + COLS - 1) / COLS; p++) {
                int k = start + t;
                panels.set(p * K + k, load16(b, bOff + k * bks + Math.min(p * COLS, cols - COLS) * bjs, bjs));
            }
        }
    }

    /** Float16 elements of the panels of a K × cols matrix. */
    public static int panelSize(int K, int cols) {
        return (cols + COLS - 1) / COLS * K;
    }

    /** b[o], b[o + s], …, b[o + 15·s] as one vector. */
    static Float16 load16(float[] b, int o, int s) {
        return new Float16(b[o + 0 * s], b[o + 1 * s], b[o + 2 * s], b[o + 3 * s],
                b[o + 4 * s], b[o + 5 * s], b[o + 6 * s], b[o + 7 * s],
                b[o + 8 * s], b[o + 9 * s], b[o + 10 * s], b[o + 11 * s],
                b[o + 12 * s], b[o + 13 * s], b[o + 14 * s], b[o + 15 * s]);
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
}
