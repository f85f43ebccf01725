package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static relutornado.kernels.GradCheck.randomFloats;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Vector API variants (DenseCpu, LinalgCpu) equal the plain {@code @Parallel} kernels they replace, on sub-ranges too. */
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

    /** Shapes around the GEMM's blocking: tile edges (MR, NR), K beyond one packed block (KC = 256), batch 1. */
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
}
