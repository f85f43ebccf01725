package relutornado.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU variants of {@link Activation} for the {@code java-parallel} engine: the same elementwise maps with the Vector
 * API (C2 leaves the plain loops' select scalar). Same names, signatures and overwrite semantics; results equal bit for bit.
 */
public final class ActivationCpu {
    private ActivationCpu() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** out = max(0, in), as {@link Activation#reluForward}. Overwrites out. */
    public static void reluForward(float[] out, float[] in, int start, int count) {
        int end = start + count, i = start;
        for (; i <= end - S.length(); i += S.length()) {
            FloatVector.fromArray(S, in, i).max(0f).intoArray(out, i);
        }
        for (; i < end; i++) {
            out[i] = Math.max(0.0f, in[i]);
        }
    }

    /** dIn = dOut · 1[in &gt; 0], as {@link Activation#reluBackward}. Overwrites dIn. */
    public static void reluBackward(float[] dIn, float[] dOut, float[] in, int start, int count) {
        int end = start + count, i = start;
        FloatVector zero = FloatVector.zero(S);
        for (; i <= end - S.length(); i += S.length()) {
            var positive = FloatVector.fromArray(S, in, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dOut, i), positive).intoArray(dIn, i);
        }
        for (; i < end; i++) {
            dIn[i] = in[i] > 0.0f ? dOut[i] : 0.0f;
        }
    }
}
