package relutornado.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU variant of {@link Adam} for the {@code java-parallel} engine: the same update with the Vector API (C2 leaves the
 * plain loop's square root and division scalar). The same operations in the same order, each correctly rounded (no
 * FMA), so the results equal the plain kernel's bit for bit. Same name, signature and in-place semantics.
 */
public final class AdamCpu {
    private AdamCpu() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** As {@link Adam#update}: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; θ -= lrT·m / (sqrt(v) + ε). In place. */
    public static void update(float[] params, float[] m, float[] v, float[] grads, float[] hyper,
                              int start, int count) {
        float lrT = hyper[0];
        float beta1 = hyper[1];
        float beta2 = hyper[2];
        float eps = hyper[3];
        float oneMinusBeta1 = 1.0f - beta1;
        float oneMinusBeta2 = 1.0f - beta2;
        int end = start + count, i = start;
        for (; i <= end - S.length(); i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, grads, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(g.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.mul(lrT).div(vi.lanewise(VectorOperators.SQRT).add(eps));
            FloatVector.fromArray(S, params, i).sub(step).intoArray(params, i);
        }
        for (; i < end; i++) {
            Adam.step(params, m, v, grads, i, lrT, beta1, beta2, eps);
        }
    }
}
