package relutornado.kernels;

/**
 * CPU variant of {@link Linalg#gramAccumulate} for the {@code java-parallel} engine: the same upper
 * triangle by the packed GEMM of {@link CpuGemm}, one block of rows at a time.
 */
public final class LinalgCpu {
    private LinalgCpu() {
    }

    /** Rows of the Gram matrix per GEMM: the block's tile is computed from its diagonal to the right edge. */
    private static final int BLOCK = 64;

    /** Float slot 0: the block's tile. */
    private static final Scratch SCRATCH = new Scratch(1, 0);

    /** out[i,j] += Σ_n in[n,i]·in[n,j] for j ≥ i, i in [start, start+count). Lower triangle untouched. */
    public static void gramAccumulate(float[] out, float[] in, int N, int F, int start, int count) {
        for (int i0 = start; i0 < start + count; i0 += BLOCK) {
            int rows = Math.min(BLOCK, start + count - i0);
            int cols = F - i0;
            float[] tile = SCRATCH.floats(0, rows * cols);
            java.util.Arrays.fill(tile, 0, rows * cols, 0f);
            // tile[r, q] = Σ_n in[n, i0+r]·in[n, i0+q]
            CpuGemm.gemm(rows, cols, N, in, i0, 1, F, in, i0, F, 1, tile, 0, cols);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r;
                for (int q = r; q < cols; q++) {
                    out[i * F + i0 + q] += tile[r * cols + q];
                }
            }
        }
    }
}
