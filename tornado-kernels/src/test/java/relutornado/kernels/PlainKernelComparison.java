package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static relutornado.kernels.GradCheck.randomFloats;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Test support shared by CpuKernelsTest and GemmTilesTest: one variant class's dense, Gram and conv
 * kernels (passed as method references) against the plain {@code @Parallel} kernels, on the same
 * random inputs and sub-ranges. Outputs start as garbage: both kernels overwrite their range and leave
 * the rest alone.
 */
final class PlainKernelComparison {
    /** Relative to the largest reference value: the two sum in different orders. */
    static final double TOLERANCE = 1e-5;

    private PlainKernelComparison() {
    }

    /**
     * Over [from, to): max |got - want| / max |want|, printed with the tolerance and asserted; outside
     * it the arrays must be untouched (equal garbage).
     */
    static void assertEqualToPlain(String what, float[] want, float[] got, int from, int to) {
        for (int i = 0; i < want.length; i++) {
            if ((i < from || i >= to) && Float.compare(want[i], got[i]) != 0) {
                throw new AssertionError(what + ": element " + i + " outside the range [" + from + ", " + to + ") was written");
            }
        }
        double maxDiff = 0, maxRef = 0;
        for (int i = from; i < to; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) got[i] - want[i]));
            maxRef = Math.max(maxRef, Math.abs(want[i]));
        }
        double rel = maxDiff / Math.max(maxRef, Float.MIN_NORMAL);
        System.out.printf("%s: max relative difference %.2e (tolerance %.0e)%n", what, rel, TOLERANCE);
        assertTrue(rel <= TOLERANCE, what + ": max relative difference " + rel + " > " + TOLERANCE);
    }

    /** Dense cases both variants run (N, C, OC, start, count): batch 1, tile edges, K beyond a block, sub-ranges. */
    static Stream<Arguments> denseCases() {
        return Stream.of(
                Arguments.of(1, 1, 1, 0, 1),
                Arguments.of(1, 300, 10, 0, 1),
                Arguments.of(7, 13, 17, 2, 5),
                Arguments.of(33, 257, 31, 0, 33),
                Arguments.of(256, 512, 10, 100, 77));
    }

    /** Gram cases both variants run (N, F, start, count). */
    static Stream<Arguments> gramCases() {
        return Stream.of(
                Arguments.of(1, 1, 0, 1),
                Arguments.of(5, 7, 2, 3),
                Arguments.of(300, 130, 0, 130),
                Arguments.of(64, 200, 61, 77));
    }

    /** Conv cases both variants run (N, C, H, W, OC, K, pad, start, count): odd sizes, one and many channels, padding. */
    static Stream<Arguments> convCases() {
        return Stream.of(
                Arguments.of(1, 1, 5, 5, 1, 3, 0, 0, 1),
                Arguments.of(3, 2, 7, 6, 5, 3, 1, 1, 2),
                Arguments.of(4, 32, 14, 14, 32, 3, 0, 0, 4),
                Arguments.of(5, 3, 9, 11, 4, 5, 2, 2, 3),
                Arguments.of(2, 64, 4, 4, 64, 3, 0, 0, 2));
    }

    /** {@link Dense#forward}'s signature. */
    interface DenseForward {
        void run(float[] out, float[] in, float[] params, int wOff, int bOff, int C, int OC, int start, int count);
    }

    /** {@link Dense#backwardInput}'s signature. */
    interface DenseBackwardInput {
        void run(float[] dIn, float[] dOut, float[] params, int wOff, int C, int OC, int start, int count);
    }

    /** {@link Dense#backwardWeights}'s signature. */
    interface DenseBackwardWeights {
        void run(float[] grads, float[] dOut, float[] in, int wOff, int N, int C, int OC, int start, int count);
    }

    /** {@link Linalg#gramAccumulate}'s signature. */
    interface GramAccumulate {
        void run(float[] out, float[] in, int N, int F, int start, int count);
    }

    /** {@link Conv2d#forward}'s signature. */
    interface ConvForward {
        void run(float[] out, float[] in, float[] params, int wOff, int bOff, int C, int H, int W,
                 int OC, int KH, int KW, int pad, int OH, int OW, int start, int count);
    }

    /** {@link Conv2d#backwardInput}'s signature. */
    interface ConvBackwardInput {
        void run(float[] dIn, float[] dOut, float[] params, int wOff, int C, int H, int W,
                 int OC, int KH, int KW, int pad, int OH, int OW, int start, int count);
    }

    /** {@link Conv2d#backwardWeights}'s signature. */
    interface ConvBackwardWeights {
        void run(float[] grads, float[] dOut, float[] in, int wOff, int N, int C, int H, int W,
                 int OC, int KH, int KW, int pad, int OH, int OW, int start, int count);
    }

    /** {@link Conv2d#backwardBias}'s signature. */
    interface ConvBackwardBias {
        void run(float[] grads, float[] dOut, int bOff, int N, int OC, int OH, int OW, int start, int count);
    }

    /** The variant's dense forward, backwardInput and backwardWeights (range over input features c) equal the plain ones. */
    static void compareDense(DenseForward forward, DenseBackwardInput backwardInput, DenseBackwardWeights backwardWeights,
                             int N, int C, int OC, int start, int count) {
        Random rnd = new Random(N * 131 + C * 17 + OC);
        int wOff = 5, bOff = wOff + C * OC + 3, P = bOff + OC + 2;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] in = randomFloats(rnd, N * C, 1.0);
        float[] dOut = randomFloats(rnd, N * OC, 1.0);

        float[] outPlain = randomFloats(new Random(1), N * OC, 9.0);
        float[] outVariant = outPlain.clone();
        Dense.forward(outPlain, in, params, wOff, bOff, C, OC, start, count);
        forward.run(outVariant, in, params, wOff, bOff, C, OC, start, count);
        assertEqualToPlain("dense forward", outPlain, outVariant, start * OC, (start + count) * OC);

        float[] dInPlain = randomFloats(new Random(2), N * C, 9.0);
        float[] dInVariant = dInPlain.clone();
        Dense.backwardInput(dInPlain, dOut, params, wOff, C, OC, start, count);
        backwardInput.run(dInVariant, dOut, params, wOff, C, OC, start, count);
        assertEqualToPlain("dense backwardInput", dInPlain, dInVariant, start * C, (start + count) * C);

        int cStart = Math.min(start, C - 1), cCount = Math.min(count, C - cStart);
        float[] gPlain = randomFloats(new Random(3), P, 9.0);
        float[] gVariant = gPlain.clone();
        Dense.backwardWeights(gPlain, dOut, in, wOff, N, C, OC, cStart, cCount);
        backwardWeights.run(gVariant, dOut, in, wOff, N, C, OC, cStart, cCount);
        assertEqualToPlain("dense backwardWeights", gPlain, gVariant, wOff + cStart * OC, wOff + (cStart + cCount) * OC);
    }

    /** The variant's Gram accumulation equals the plain one over the whole F x F output. */
    static void compareGram(GramAccumulate gram, int N, int F, int start, int count) {
        Random rnd = new Random(N + 7L * F);
        float[] in = randomFloats(rnd, N * F, 1.0);
        float[] plain = randomFloats(new Random(4), F * F, 1.0);
        float[] variant = plain.clone();
        Linalg.gramAccumulate(plain, in, N, F, start, count);
        gram.run(variant, in, N, F, start, count);
        assertEqualToPlain("gramAccumulate", plain, variant, 0, F * F);
    }

    /**
     * The variant's conv forward, backwardInput, backwardWeights (range over output channels) and, where
     * {@code backwardBias} is not null, backwardBias equal the plain ones; square K x K filters.
     */
    static void compareConv(ConvForward forward, ConvBackwardInput backwardInput, ConvBackwardWeights backwardWeights,
                            ConvBackwardBias backwardBias,
                            int N, int C, int H, int W, int OC, int K, int pad, int start, int count) {
        Random rnd = new Random(N * 31L + C * 7L + H + OC);
        int OH = Conv2d.outputSize(H, K, pad), OW = Conv2d.outputSize(W, K, pad);
        int wOff = 3, bOff = wOff + OC * C * K * K + 1, P = bOff + OC + 2;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] in = randomFloats(rnd, N * C * H * W, 1.0);
        float[] dOut = randomFloats(rnd, N * OC * OH * OW, 1.0);

        float[] outPlain = randomFloats(new Random(1), N * OC * OH * OW, 9.0);
        float[] outVariant = outPlain.clone();
        Conv2d.forward(outPlain, in, params, wOff, bOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        forward.run(outVariant, in, params, wOff, bOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        assertEqualToPlain("conv forward", outPlain, outVariant, start * OC * OH * OW, (start + count) * OC * OH * OW);

        float[] dInPlain = randomFloats(new Random(2), N * C * H * W, 9.0);
        float[] dInVariant = dInPlain.clone();
        Conv2d.backwardInput(dInPlain, dOut, params, wOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        backwardInput.run(dInVariant, dOut, params, wOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        assertEqualToPlain("conv backwardInput", dInPlain, dInVariant, start * C * H * W, (start + count) * C * H * W);

        int ocStart = Math.min(start, OC - 1), ocCount = Math.min(count, OC - ocStart);
        int ckk = C * K * K;
        float[] gPlain = randomFloats(new Random(3), P, 9.0);
        float[] gVariant = gPlain.clone();
        Conv2d.backwardWeights(gPlain, dOut, in, wOff, N, C, H, W, OC, K, K, pad, OH, OW, ocStart, ocCount);
        backwardWeights.run(gVariant, dOut, in, wOff, N, C, H, W, OC, K, K, pad, OH, OW, ocStart, ocCount);
        assertEqualToPlain("conv backwardWeights", gPlain, gVariant, wOff + ocStart * ckk, wOff + (ocStart + ocCount) * ckk);

        if (backwardBias != null) {
            float[] bPlain = randomFloats(new Random(4), P, 9.0);
            float[] bVariant = bPlain.clone();
            Conv2d.backwardBias(bPlain, dOut, bOff, N, OC, OH, OW, ocStart, ocCount);
            backwardBias.run(bVariant, dOut, bOff, N, OC, OH, OW, ocStart, ocCount);
            assertEqualToPlain("conv backwardBias", bPlain, bVariant, bOff + ocStart, bOff + ocStart + ocCount);
        }
    }
}
