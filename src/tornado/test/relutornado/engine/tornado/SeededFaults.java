package relutornado.engine.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;

/** Kernels with a planted GPU fault, for {@link OclgrindCheckTest}: each takes the signature of the variant it breaks. */
final class SeededFaults {
    private SeededFaults() {
    }

    /**
     * {@code Dense.forward} as register tiles of two rows, the edge tile's second row clamped to the last row
     * ({@code tooWide} 0) or, the seeded fault, to {@code start + count} ({@code tooWide} 1): then the last tile of an odd
     * count reads and writes one row past the arrays. grid: OC × ⌈count/2⌉.
     */
    static void denseForwardTiles(float[] out, float[] in, float[] params, int wOff, int bOff, int C, int OC, int tooWide, int start, int count) {
        for (@Parallel int o = 0; o < OC; o++) {
            for (@Parallel int t = 0; t < (count + 1) / 2; t++) {
                int n0 = start + 2 * t;
                int n1 = Math.min(n0 + 1, start + count - 1 + tooWide);
                float a0 = params[bOff + o];
                float a1 = a0;
                for (int c = 0; c < C; c++) {
                    float w = params[wOff + c * OC + o];
                    a0 += in[n0 * C + c] * w;
                    a1 += in[n1 * C + c] * w;
                }
                out[n0 * OC + o] = a0;
                if (n1 > n0) {
                    out[n1 * OC + o] = a1;
                }
            }
        }
    }

    /**
     * {@code GemmLocal.gemm} without the barrier after each step's products: a fast work-item overwrites the local tiles
     * of the next step while others still read this one's.
     */
    static void gemmWithoutSecondBarrier(KernelContext ctx, float[] c, int cOff, int cis, int cjs, int cols, float[] a, int ais, int aks,
                                         float[] b, int bOff, int bks, int bjs, int K, int biasOff, int mode, int tile, int wpt, int start, int count) {
        int lj = ctx.localIdx;
        int li = ctx.localIdy;
        int rowsPerPass = tile / wpt;
        int j = ctx.groupIdx * tile + lj;
        int row0 = ctx.groupIdy * tile;
        float[] aSub = ctx.allocateFloatLocalArray(tile * tile);
        float[] bSub = ctx.allocateFloatLocalArray(tile * tile);
        float[] acc = new float[8];
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
