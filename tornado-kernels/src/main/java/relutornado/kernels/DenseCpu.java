package relutornado.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU variants of {@link Dense}'s matrix products for the {@code java-parallel} engine: same names,
 * signatures, layouts and overwrite semantics, computed by the packed Vector API GEMM of {@link CpuGemm}
 * (summation order differs from {@link Dense}, so results agree to float rounding, not bit for bit).
 * The engine swaps {@code Dense.x} for {@code DenseCpu.x} by name. {@code backwardBias} is a column sum: the
 * Vector API variant adds the rows in the plain kernel's order, so it equals it bit for bit.
 */
public final class DenseCpu {
    private DenseCpu() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** out[n,o] = b[o] + Σ_c in[n,c]·W[c,o]: (count×C)·(C×OC) GEMM on rows [start, start+count). Overwrites out. */
    public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff,
                               int C, int OC, int start, int count) {
        for (int t = 0; t < count; t++) {
            System.arraycopy(params, bOff, out, (start + t) * OC, OC);
        }
        CpuGemm.gemm(count, OC, C, in, start * C, C, 1, params, wOff, OC, 1, out, start * OC, OC);
    }

    /** dIn[n,c] = Σ_o dOut[n,o]·W[c,o]: dOut·Wᵀ on rows [start, start+count). Overwrites dIn. */
    public static void backwardInput(float[] dIn, float[] dOut, float[] params, int wOff,
                                     int C, int OC, int start, int count) {
        Arrays.fill(dIn, start * C, (start + count) * C, 0f);
        CpuGemm.gemm(count, C, OC, dOut, start * OC, OC, 1, params, wOff, 1, OC, dIn, start * C, C);
    }

    /** dW[c,o] = Σ_n in[n,c]·dOut[n,o]: inᵀ·dOut for input features [start, start+count). Overwrites. */
    public static void backwardWeights(float[] grads, float[] dOut, float[] in, int wOff,
                                       int N, int C, int OC, int start, int count) {
        Arrays.fill(grads, wOff + start * OC, wOff + (start + count) * OC, 0f);
        CpuGemm.gemm(count, OC, N, in, start, 1, C, dOut, 0, OC, 1, grads, wOff + start * OC, OC);
    }

    /**
     * db[o] = Σ_n dOut[n,o] into grads[bOff..], as {@link Dense#backwardBias}: row by row into the outputs [start,
     * start+count) (the plain loop walks a column, one float per cache line), the same order of additions. Overwrites.
     */
    public static void backwardBias(float[] grads, float[] dOut, int bOff,
                                    int N, int OC, int start, int count) {
        Arrays.fill(grads, bOff + start, bOff + start + count, 0f);
        int vecEnd = start + count - count % S.length();
        for (int n = 0; n < N; n++) {
            int row = n * OC;
            int o = start;
            for (; o < vecEnd; o += S.length()) {
                FloatVector.fromArray(S, grads, bOff + o).add(FloatVector.fromArray(S, dOut, row + o)).intoArray(grads, bOff + o);
            }
            for (; o < start + count; o++) {
                grads[bOff + o] += dOut[row + o];
            }
        }
    }
}
