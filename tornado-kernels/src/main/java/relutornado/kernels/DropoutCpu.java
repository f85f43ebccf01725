package relutornado.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU variants of {@link Dropout} for the {@code java-parallel} engine: the same counter-based hash, lane by lane
 * with the Vector API (int multiply, xor and logical shifts wrap exactly as Java's), so the masks and outputs equal
 * the plain kernel's bit for bit. Same names, signatures and overwrite semantics.
 */
public final class DropoutCpu {
    private DropoutCpu() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    /** As {@link Dropout#forward}: out = in · mask. Overwrites out, mask. */
    public static void forward(float[] out, float[] mask, float[] in, int[] rng, int layer, float rate,
                               int start, int count) {
        // Dropout.uniform's hash up to the element index is the same for every element
        int h = rng[0] * 0x9E3779B1;
        h = mix(h ^ rng[1]);
        h = mix(h ^ (layer * 0x85EBCA77));
        float keep = 1.0f / (1.0f - rate);
        int end = start + count, i = start;
        if (S.length() == I.length()) {
            IntVector iota = IntVector.zero(I).addIndex(1);
            FloatVector kept = FloatVector.broadcast(S, keep), zero = FloatVector.zero(S);
            for (; i <= end - S.length(); i += S.length()) {
                IntVector x = iota.add(i).lanewise(VectorOperators.XOR, h);
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
                x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
                FloatVector u = ((FloatVector) x.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(0x1.0p-24f);
                FloatVector m = zero.blend(kept, u.compare(VectorOperators.GE, rate));
                m.intoArray(mask, i);
                FloatVector.fromArray(S, in, i).mul(m).intoArray(out, i);
            }
        }
        for (; i < end; i++) {
            float u = Dropout.uniform(rng[0], rng[1], layer, i);
            float m = u >= rate ? keep : 0.0f;
            mask[i] = m;
            out[i] = in[i] * m;
        }
    }

    /** As {@link Dropout#backward}: dIn = dOut · mask. Overwrites dIn. */
    public static void backward(float[] dIn, float[] dOut, float[] mask, int start, int count) {
        int end = start + count, i = start;
        for (; i <= end - S.length(); i += S.length()) {
            FloatVector.fromArray(S, dOut, i).mul(FloatVector.fromArray(S, mask, i)).intoArray(dIn, i);
        }
        for (; i < end; i++) {
            dIn[i] = dOut[i] * mask[i];
        }
    }

    /** Dropout's mix step: murmur3's 32-bit finaliser. */
    private static int mix(int x) {
        int h = x;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
