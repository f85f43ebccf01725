package relutornado.kernels.local;

import uk.ac.manchester.tornado.api.KernelContext;

/**
 * A matrix product with work-group tiles staged in local memory (the local-memory family of
 * {@code relutornado.engine.KernelVariants}; the engine's {@code VectorVariants} maps each product kernel onto it, the
 * convolutions through im2col). The kind of kernel GPUs reward (CNugteren's myGEMM, TornadoVM's
 * {@code MatrixMultiplication2DV2}): a work-group owns a tile × tile block of C; per step of the reduction it copies a
 * tile × tile block of A and of B into local memory, waits at a barrier, and each work-item accumulates its register
 * tile of {@code wpt} rows (one column) from local memory.
 * <pre>
 *   c[cOff + i·cis + j·cjs] = (mode 1 ? c[…] : bias(j)) + Σ_k A(i,k)·B(k,j)
 *        rows i in [start, start + count), columns j &lt; cols (mode 1: only j ≥ i, the upper triangle), k &lt; K
 *   A(i,k) = a[i·ais + k·aks]   B(k,j) = b[bOff + k·bks + j·bjs]   bias(j) = biasOff &lt; 0 ? 0 : b[biasOff + j]
 *   work-groups: tile (dim 0, columns) × tile/wpt (dim 1, rows); work-items ⌈cols/tile⌉·tile × ⌈count/tile⌉·tile/wpt
 * </pre>
 * The bias lives in B's array (the layer's parameter slab), and A starts at its array's start: a TornadoVM task takes at
 * most 20 arguments here. Edge tiles load zeros outside the matrices and store nothing there; every work-item reaches every barrier. Strides,
 * flags and tile sizes are scalars, which TornadoVM compiles in as constants. The sums run over k in order from the
 * bias, as the plain kernels' do.
 */
public final class GemmLocal {
    /** The largest register tile (rows per work-item) the private accumulators hold. */
    public static final int MAX_WPT = 8;

    private GemmLocal() {
    }

    public static void gemm(KernelContext ctx, float[] c, int cOff, int cis, int cjs, int cols, float[] a, int ais, int aks,
                            float[] b, int bOff, int bks, int bjs, int K, int biasOff, int mode, int tile, int wpt, int start, int count) {
        int lj = ctx.localIdx;
        int li = ctx.localIdy;
        int rowsPerPass = tile / wpt;
        int j = ctx.groupIdx * tile + lj;
        int row0 = ctx.groupIdy * tile;
        float[] aSub = ctx.allocateFloatLocalArray(tile * tile);
        float[] bSub = ctx.allocateFloatLocalArray(tile * tile);
        float[] acc = new float[MAX_WPT];
        float init = 0f;
        if (mode == 0 && biasOff >= 0 && j < cols) {
            init = b[biasOff + j];
        }
        for (int w = 0; w < wpt; w++) {
            acc[w] = init;
        }
        for (int k0 = 0; k0 < K; k0 += tile) {
            for (int w = 0; w < wpt; w++) {
                int r = li + w * rowsPerPass;
                int i = row0 + r;
                float av = 0f;
                if (i < count && k0 + lj < K) {
                    av = a[(start + i) * ais + (k0 + lj) * aks];
                }
                aSub[r * tile + lj] = av;
                float bv = 0f;
                if (k0 + r < K && j < cols) {
                    bv = b[bOff + (k0 + r) * bks + j * bjs];
                }
                bSub[r * tile + lj] = bv;
            }
            ctx.localBarrier();
            for (int kk = 0; kk < tile; kk++) {
                float bv = bSub[kk * tile + lj];
                for (int w = 0; w < wpt; w++) {
                    acc[w] += aSub[(li + w * rowsPerPass) * tile + kk] * bv;
                }
            }
            ctx.localBarrier();
        }
        for (int w = 0; w < wpt; w++) {
            int i = row0 + li + w * rowsPerPass;
            if (i < count && j < cols && (mode == 0 || j >= start + i)) {
                int at = cOff + (start + i) * cis + j * cjs;
                if (mode == 0) {
                    c[at] = acc[w];
                } else {
                    c[at] = c[at] + acc[w];
                }
            }
        }
    }
}
