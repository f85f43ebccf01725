package relutornado.kernels.vector;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;
import uk.ac.manchester.tornado.api.types.vectors.Float16;

/**
 * A matrix product for OpenCL CPU devices (PoCL and the like) on TornadoVM's vector types, run by the
 * {@code tornado} engine for the dense and convolution products with {@code --device-kernels vector} (the
 * {@code tuned} choice on CPU devices; the engine's {@code VectorVariants} maps each kernel onto it). TornadoVM
 * compiles each {@code float[]} access to scalar code that the driver's vectoriser cannot widen, so the vectors are
 * spelled out: each work-item owns an {@value #ROWS}×{@value #COLS} tile of outputs in sixteen {@code float16}
 * accumulators, and per step of the reduction it loads two {@code float16} of B and broadcasts 8 values of A, for 16
 * vector multiply-adds. B comes packed ({@link #pack}: per column tile of 32, the K rows of that tile as pairs of
 * {@code float16} in a {@code VectorFloat16}), so its loads are whole vectors rather than 32 gathered floats.
 * <pre>
 *   c[cOff + i·cis + j·cjs] = bias(j) + Σ_k A(i,k)·B(k,j)      rows i in [start, start + count), columns j &lt; cols, k &lt; K
 *   A(i,k) = a[aOff + i·ais + k·aks]   B: K × cols in panels   bias(j) = biasOff &lt; 0 ? 0 : bias[biasOff + j]
 *   work-items: ⌈cols / 32⌉ (dim 0) × ⌈count / 8⌉ (dim 1)
 * </pre>
 * The strides are kernel scalars, which TornadoVM compiles in as constants, so one kernel serves every layout of A,
 * and {@link #pack} takes B in any layout (transposed ones included). A tile never leaves the matrix: the last tile of each dimension is shifted back to end at the edge and recomputes, and
 * rewrites with the same value, what its neighbour wrote; so count ≥ 8 and cols ≥ 32 ({@link #fits}), and
 * other products go to another variant. Results equal the plain loops' up to float rounding (the sums run
 * over k in order from the bias, as the plain loops' do).
 */
public final class GemmVector {
    /** Rows and columns of a work-item's output tile. */
    public static final int ROWS = 8;
    public static final int COLS = 32;

    private GemmVector() {
    }

    /**
     * Whether a product of rows × cols outputs over K reduction steps suits the kernel: the tile must fit, and
     * K ≥ 8 (a shorter reduction is cheap anyway; with K = 2 TornadoVM 5.2 on PoCL computed wrong results, K = 1
     * and 3 to 300 right — not understood, so short reductions go to the scalar tiles).
     */
    public static boolean fits(int rows, int cols, int K) {
        return rows >= ROWS && cols >= COLS && K >= 8;
    }

    public static void gemm(float[] c, int cOff, int cis, int cjs, int cols, float[] a, int aOff, int ais, int aks,
                            VectorFloat16 panels, int K, float[] bias, int biasOff, int start, int count) {
        for (@Parallel int tj = 0; tj < (cols + COLS - 1) / COLS; tj++) {
            for (@Parallel int ti = 0; ti < (count + ROWS - 1) / ROWS; ti++) {
                int j0 = Math.min(tj * COLS, cols - COLS);
                int i0 = start + Math.min(ti * ROWS, count - ROWS);
                // the sums start from the bias (or zero), as the plain kernels' do
                Float16 v0 = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
                Float16 v1 = v0;
                if (biasOff >= 0) {
                    v0 = load16(bias, biasOff + j0, 1);
                    v1 = load16(bias, biasOff + j0 + 16, 1);
                }
                Float16 c00 = v0, c01 = v1, c10 = v0, c11 = v1, c20 = v0, c21 = v1, c30 = v0, c31 = v1;
                Float16 c40 = v0, c41 = v1, c50 = v0, c51 = v1, c60 = v0, c61 = v1, c70 = v0, c71 = v1;
                for (int k = 0; k < K; k++) {
                    Float16 b0 = panels.get((tj * K + k) * 2);
                    Float16 b1 = panels.get((tj * K + k) * 2 + 1);
                    int ak = aOff + i0 * ais + k * aks;
                    float x0 = a[ak + 0 * ais];
                    float x1 = a[ak + 1 * ais];
                    float x2 = a[ak + 2 * ais];
                    float x3 = a[ak + 3 * ais];
                    float x4 = a[ak + 4 * ais];
                    float x5 = a[ak + 5 * ais];
                    float x6 = a[ak + 6 * ais];
                    float x7 = a[ak + 7 * ais];
                    c00 = Float16.add(c00, Float16.mult(b0, x0));
                    c01 = Float16.add(c01, Float16.mult(b1, x0));
                    c10 = Float16.add(c10, Float16.mult(b0, x1));
                    c11 = Float16.add(c11, Float16.mult(b1, x1));
                    c20 = Float16.add(c20, Float16.mult(b0, x2));
                    c21 = Float16.add(c21, Float16.mult(b1, x2));
                    c30 = Float16.add(c30, Float16.mult(b0, x3));
                    c31 = Float16.add(c31, Float16.mult(b1, x3));
                    c40 = Float16.add(c40, Float16.mult(b0, x4));
                    c41 = Float16.add(c41, Float16.mult(b1, x4));
                    c50 = Float16.add(c50, Float16.mult(b0, x5));
                    c51 = Float16.add(c51, Float16.mult(b1, x5));
                    c60 = Float16.add(c60, Float16.mult(b0, x6));
                    c61 = Float16.add(c61, Float16.mult(b1, x6));
                    c70 = Float16.add(c70, Float16.mult(b0, x7));
                    c71 = Float16.add(c71, Float16.mult(b1, x7));
                }
                int o = cOff + i0 * cis + j0 * cjs;
                store32(c, o + 0 * cis, cjs, c00, c01);
                store32(c, o + 1 * cis, cjs, c10, c11);
                store32(c, o + 2 * cis, cjs, c20, c21);
                store32(c, o + 3 * cis, cjs, c30, c31);
                store32(c, o + 4 * cis, cjs, c40, c41);
                store32(c, o + 5 * cis, cjs, c50, c51);
                store32(c, o + 6 * cis, cjs, c60, c61);
                store32(c, o + 7 * cis, cjs, c70, c71);
            }
        }
    }

    /**
     * B's panels for {@link #gemm}: panels[(p·K + k)·2 + v] = B(k, j0 + 16v … j0 + 16v + 15), B(k,j) = b[bOff + k·bks + j·bjs],
     * j0 = min(32p, cols − 32) (the gemm's column tiles). Overwrites. Range over k; work-items (k, panel).
     */
    public static void pack(VectorFloat16 panels, float[] b, int bOff, int bks, int bjs, int K, int cols, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int p = 0; p < (cols + COLS - 1) / COLS; p++) {
                int k = start + t;
                int o = bOff + k * bks + Math.min(p * COLS, cols - COLS) * bjs;
                panels.set((p * K + k) * 2, load16(b, o, bjs));
                panels.set((p * K + k) * 2 + 1, load16(b, o + 16 * bjs, bjs));
            }
        }
    }

    /** Float16 elements of the panels of a K × cols matrix. */
    public static int panelSize(int K, int cols) {
        return (cols + COLS - 1) / COLS * K * 2;
    }

    /** b[o], b[o + s], …, b[o + 15·s] as one vector. */
    static Float16 load16(float[] b, int o, int s) {
        return new Float16(b[o + 0 * s], b[o + 1 * s], b[o + 2 * s], b[o + 3 * s],
                b[o + 4 * s], b[o + 5 * s], b[o + 6 * s], b[o + 7 * s],
                b[o + 8 * s], b[o + 9 * s], b[o + 10 * s], b[o + 11 * s],
                b[o + 12 * s], b[o + 13 * s], b[o + 14 * s], b[o + 15 * s]);
    }

    /** Stores two vectors as 32 outputs c[o], c[o + s], …, c[o + 31·s]. */
    static void store32(float[] c, int o, int s, Float16 v0, Float16 v1) {
        for (int e = 0; e < 16; e++) {
            c[o + e * s] = v0.get(e);
            c[o + (16 + e) * s] = v1.get(e);
        }
    }
}
