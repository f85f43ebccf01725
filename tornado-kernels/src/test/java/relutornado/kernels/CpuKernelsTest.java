package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static relutornado.kernels.GradCheck.randomFloats;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CPU variants (DenseCpu, Conv2dCpu, LinalgCpu, ActivationCpu, DropoutCpu, MaxPoolCpu) equal the plain {@code @Parallel} kernels they replace, on sub-ranges too. */
class CpuKernelsTest {
    /** Relative to the largest reference value: the two sum in different orders. */
    static final double TOLERANCE = 1e-5;

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

    /** Shapes around the GEMM's blocking: tile edges (MR, NR), K beyond one packed block (KC = 384), batch 1. */
    @ParameterizedTest(name = "N={0} C={1} OC={2} range [{3}, +{4})")
    @CsvSource({
        "1, 1, 1, 0, 1",
        "1, 300, 10, 0, 1",
        "7, 13, 17, 2, 5",
        "33, 257, 31, 0, 33",
        "256, 256, 512, 0, 256",
        "256, 512, 10, 100, 77",
        "130, 520, 2100, 3, 120",
    })
    void cpuKernelsEqualThePlainKernels(int N, int C, int OC, int start, int count) {
        Random rnd = new Random(N * 131 + C * 17 + OC);
        int wOff = 5, bOff = wOff + C * OC + 3, P = bOff + OC + 2;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] in = randomFloats(rnd, N * C, 1.0);
        float[] dOut = randomFloats(rnd, N * OC, 1.0);

        // outputs start as garbage: both kernels overwrite their range and leave the rest alone
        float[] outPlain = randomFloats(new Random(1), N * OC, 9.0);
        float[] outCpu = outPlain.clone();
        Dense.forward(outPlain, in, params, wOff, bOff, C, OC, start, count);
        DenseCpu.forward(outCpu, in, params, wOff, bOff, C, OC, start, count);
        assertEqualToPlain("forward", outPlain, outCpu, start * OC, (start + count) * OC);

        float[] dInPlain = randomFloats(new Random(2), N * C, 9.0);
        float[] dInCpu = dInPlain.clone();
        Dense.backwardInput(dInPlain, dOut, params, wOff, C, OC, start, count);
        DenseCpu.backwardInput(dInCpu, dOut, params, wOff, C, OC, start, count);
        assertEqualToPlain("backwardInput", dInPlain, dInCpu, start * C, (start + count) * C);

        // weights: the range is over input features c
        int cStart = Math.min(start, C - 1), cCount = Math.min(count, C - cStart);
        float[] gPlain = randomFloats(new Random(3), P, 9.0);
        float[] gCpu = gPlain.clone();
        Dense.backwardWeights(gPlain, dOut, in, wOff, N, C, OC, cStart, cCount);
        DenseCpu.backwardWeights(gCpu, dOut, in, wOff, N, C, OC, cStart, cCount);
        assertEqualToPlain("backwardWeights", gPlain, gCpu, wOff + cStart * OC, wOff + (cStart + cCount) * OC);
    }

    @ParameterizedTest(name = "Gram N={0} F={1} range [{2}, +{3})")
    @CsvSource({"1, 1, 0, 1", "5, 7, 2, 3", "300, 130, 0, 130", "64, 200, 61, 77"})
    void gramEqualsThePlainKernel(int N, int F, int start, int count) {
        Random rnd = new Random(N + 7L * F);
        float[] in = randomFloats(rnd, N * F, 1.0);
        float[] plain = randomFloats(new Random(4), F * F, 1.0);
        float[] cpu = plain.clone();
        Linalg.gramAccumulate(plain, in, N, F, start, count);
        LinalgCpu.gramAccumulate(cpu, in, N, F, start, count);
        assertEqualToPlain("gramAccumulate", plain, cpu, 0, F * F);
    }

    /** Odd sizes, one channel (the direct 3×3 kernel too), many channels, batch 1, valid and same padding. */
    @ParameterizedTest(name = "conv N={0} C={1} {2}x{3} OC={4} K={5} pad={6} range [{7}, +{8})")
    @CsvSource({
        "1, 1, 5, 5, 1, 3, 0, 0, 1",
        "3, 2, 7, 6, 5, 3, 1, 1, 2",
        "4, 32, 14, 14, 32, 3, 0, 0, 4",
        "5, 3, 9, 11, 4, 5, 2, 2, 3",
        "2, 64, 4, 4, 64, 3, 0, 0, 2",
        "40, 32, 26, 26, 32, 3, 0, 7, 30",
        "3, 1, 16, 16, 32, 3, 0, 1, 2",
        "1, 1, 28, 28, 32, 3, 0, 0, 1",
        "2, 1, 11, 21, 5, 3, 0, 0, 2",
    })
    void convEqualsThePlainKernels(int N, int C, int H, int W, int OC, int K, int pad, int start, int count) {
        Random rnd = new Random(N * 31L + C * 7L + H + OC);
        int OH = Conv2d.outputSize(H, K, pad), OW = Conv2d.outputSize(W, K, pad);
        int wOff = 3, bOff = wOff + OC * C * K * K + 1, P = bOff + OC + 2;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] in = randomFloats(rnd, N * C * H * W, 1.0);
        float[] dOut = randomFloats(rnd, N * OC * OH * OW, 1.0);

        float[] outPlain = randomFloats(new Random(1), N * OC * OH * OW, 9.0);
        float[] outCpu = outPlain.clone();
        Conv2d.forward(outPlain, in, params, wOff, bOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        Conv2dCpu.forward(outCpu, in, params, wOff, bOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        assertEqualToPlain("conv forward", outPlain, outCpu, start * OC * OH * OW, (start + count) * OC * OH * OW);

        float[] dInPlain = randomFloats(new Random(2), N * C * H * W, 9.0);
        float[] dInCpu = dInPlain.clone();
        Conv2d.backwardInput(dInPlain, dOut, params, wOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        Conv2dCpu.backwardInput(dInCpu, dOut, params, wOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        assertEqualToPlain("conv backwardInput", dInPlain, dInCpu, start * C * H * W, (start + count) * C * H * W);

        int ocStart = Math.min(start, OC - 1), ocCount = Math.min(count, OC - ocStart);
        int ckk = C * K * K;
        float[] gPlain = randomFloats(new Random(3), P, 9.0);
        float[] gCpu = gPlain.clone();
        Conv2d.backwardWeights(gPlain, dOut, in, wOff, N, C, H, W, OC, K, K, pad, OH, OW, ocStart, ocCount);
        Conv2dCpu.backwardWeights(gCpu, dOut, in, wOff, N, C, H, W, OC, K, K, pad, OH, OW, ocStart, ocCount);
        assertEqualToPlain("conv backwardWeights", gPlain, gCpu, wOff + ocStart * ckk, wOff + (ocStart + ocCount) * ckk);

        float[] bPlain = randomFloats(new Random(4), P, 9.0);
        float[] bCpu = bPlain.clone();
        Conv2d.backwardBias(bPlain, dOut, bOff, N, OC, OH, OW, ocStart, ocCount);
        Conv2dCpu.backwardBias(bCpu, dOut, bOff, N, OC, OH, OW, ocStart, ocCount);
        assertEqualToPlain("conv backwardBias", bPlain, bCpu, bOff + ocStart, bOff + ocStart + ocCount);
    }

    /** Elementwise and pooling variants equal the plain kernels bit for bit: lengths off the vector width, sub-ranges, ties. */
    @ParameterizedTest(name = "elementwise E={0} range [{1}, +{2})")
    @CsvSource({"1, 0, 1", "7, 2, 5", "8, 0, 8", "37, 3, 33", "1000, 17, 950", "4099, 0, 4099"})
    void elementwiseVariantsEqualThePlainKernelsBitForBit(int E, int start, int count) {
        Random rnd = new Random(E);
        float[] in = randomFloats(rnd, E, 1.0);
        float[] dOut = randomFloats(rnd, E, 1.0);
        in[start] = 0.0f; // the ReLU's edge: in = 0 passes no gradient
        float[] plain = randomFloats(new Random(1), E, 9.0);
        float[] cpu = plain.clone();
        Activation.reluForward(plain, in, start, count);
        ActivationCpu.reluForward(cpu, in, start, count);
        assertArrayEquals(plain, cpu, "reluForward");
        Activation.reluBackward(plain, dOut, in, start, count);
        ActivationCpu.reluBackward(cpu, dOut, in, start, count);
        assertArrayEquals(plain, cpu, "reluBackward");

        int[] rng = {12345, 678};
        for (float rate : new float[] {0.0f, 0.1f, 0.5f}) {
            float[] maskPlain = randomFloats(new Random(2), E, 9.0);
            float[] maskCpu = maskPlain.clone();
            Dropout.forward(plain, maskPlain, in, rng, 5, rate, start, count);
            DropoutCpu.forward(cpu, maskCpu, in, rng, 5, rate, start, count);
            assertArrayEquals(maskPlain, maskCpu, "dropout mask, rate " + rate);
            assertArrayEquals(plain, cpu, "dropout forward, rate " + rate);
            Dropout.backward(plain, dOut, maskPlain, start, count);
            DropoutCpu.backward(cpu, dOut, maskCpu, start, count);
            assertArrayEquals(plain, cpu, "dropout backward, rate " + rate);
        }
    }

    @ParameterizedTest(name = "pool N={0} C={1} {2}x{3} range [{4}, +{5})")
    @CsvSource({"1, 1, 2, 2, 0, 1", "3, 2, 5, 7, 1, 2", "4, 32, 12, 12, 0, 4", "2, 3, 9, 4, 1, 1"})
    void poolVariantsEqualThePlainKernelsBitForBit(int N, int C, int H, int W, int start, int count) {
        Random rnd = new Random(N * 7L + C + H * W);
        int OH = H / 2, OW = W / 2;
        float[] in = randomFloats(rnd, N * C * H * W, 1.0);
        for (int i = 0; i < in.length; i += 5) {
            in[i] = in[i / 2]; // ties inside windows: the first maximum wins
        }
        float[] dOut = randomFloats(rnd, N * C * OH * OW, 1.0);
        float[] plain = randomFloats(new Random(1), N * C * OH * OW, 9.0);
        float[] cpu = plain.clone();
        MaxPool.forward2x2(plain, in, C, H, W, OH, OW, start, count);
        MaxPoolCpu.forward2x2(cpu, in, C, H, W, OH, OW, start, count);
        assertArrayEquals(plain, cpu, "pool forward");
        float[] dPlain = randomFloats(new Random(2), N * C * H * W, 9.0);
        float[] dCpu = dPlain.clone();
        MaxPool.backward2x2(dPlain, dOut, in, C, H, W, OH, OW, start, count);
        MaxPoolCpu.backward2x2(dCpu, dOut, in, C, H, W, OH, OW, start, count);
        assertArrayEquals(dPlain, dCpu, "pool backward");
    }
}
