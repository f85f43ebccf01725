package relutornado.kernels;

import static relutornado.kernels.CpuKernelsTest.assertEqualToPlain;
import static relutornado.kernels.GradCheck.randomFloats;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The register-tiled device variants (DenseDevice, Conv2dDevice, LinalgDevice) equal the plain kernels
 * to 1e-5 relative, run here as the plain Java their {@code @Parallel} loops also are: odd shapes (edge
 * tiles in both dimensions), batch 1, reductions far beyond one tile, sub-ranges (outside them nothing
 * is written). The same comparison on an OpenCL/PTX device is TornadoEngineTest's.
 */
class DeviceKernelsTest {

    @ParameterizedTest(name = "dense N={0} C={1} OC={2} range [{3}, +{4})")
    @CsvSource({
        "1, 1, 1, 0, 1",
        "1, 300, 10, 0, 1",
        "7, 13, 17, 2, 5",
        "33, 257, 31, 0, 33",
        "9, 6, 3, 1, 6",
        "256, 512, 10, 100, 77",
        "130, 520, 130, 3, 120",
    })
    void denseEqualsThePlainKernels(int N, int C, int OC, int start, int count) {
        Random rnd = new Random(N * 131 + C * 17 + OC);
        int wOff = 5, bOff = wOff + C * OC + 3, P = bOff + OC + 2;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] in = randomFloats(rnd, N * C, 1.0);
        float[] dOut = randomFloats(rnd, N * OC, 1.0);

        float[] outPlain = randomFloats(new Random(1), N * OC, 9.0);
        float[] outDev = outPlain.clone();
        Dense.forward(outPlain, in, params, wOff, bOff, C, OC, start, count);
        DenseDevice.forward(outDev, in, params, wOff, bOff, C, OC, start, count);
        assertEqualToPlain("dense forward", outPlain, outDev, start * OC, (start + count) * OC);

        float[] dInPlain = randomFloats(new Random(2), N * C, 9.0);
        float[] dInDev = dInPlain.clone();
        Dense.backwardInput(dInPlain, dOut, params, wOff, C, OC, start, count);
        DenseDevice.backwardInput(dInDev, dOut, params, wOff, C, OC, start, count);
        assertEqualToPlain("dense backwardInput", dInPlain, dInDev, start * C, (start + count) * C);

        int cStart = Math.min(start, C - 1), cCount = Math.min(count, C - cStart);
        float[] gPlain = randomFloats(new Random(3), P, 9.0);
        float[] gDev = gPlain.clone();
        Dense.backwardWeights(gPlain, dOut, in, wOff, N, C, OC, cStart, cCount);
        DenseDevice.backwardWeights(gDev, dOut, in, wOff, N, C, OC, cStart, cCount);
        assertEqualToPlain("dense backwardWeights", gPlain, gDev, wOff + cStart * OC, wOff + (cStart + cCount) * OC);
    }

    @ParameterizedTest(name = "Gram N={0} F={1} range [{2}, +{3})")
    @CsvSource({"1, 1, 0, 1", "5, 7, 2, 3", "300, 130, 0, 130", "64, 200, 61, 77", "3, 9, 5, 4"})
    void gramEqualsThePlainKernel(int N, int F, int start, int count) {
        Random rnd = new Random(N + 7L * F);
        float[] in = randomFloats(rnd, N * F, 1.0);
        float[] plain = randomFloats(new Random(4), F * F, 1.0);
        float[] dev = plain.clone();
        Linalg.gramAccumulate(plain, in, N, F, start, count);
        LinalgDevice.gramAccumulate(dev, in, N, F, start, count);
        assertEqualToPlain("gramAccumulate", plain, dev, 0, F * F);
    }

    @ParameterizedTest(name = "conv N={0} C={1} {2}x{3} OC={4} K={5} pad={6} range [{7}, +{8})")
    @CsvSource({
        "1, 1, 5, 5, 1, 3, 0, 0, 1",
        "3, 2, 7, 6, 5, 3, 1, 1, 2",
        "4, 32, 14, 14, 32, 3, 0, 0, 4",
        "5, 3, 9, 11, 4, 5, 2, 2, 3",
        "2, 64, 4, 4, 64, 3, 0, 0, 2",
        "6, 7, 13, 5, 6, 3, 1, 1, 5",
    })
    void convEqualsThePlainKernels(int N, int C, int H, int W, int OC, int K, int pad, int start, int count) {
        Random rnd = new Random(N * 31L + C * 7L + H + OC);
        int OH = Conv2d.outputSize(H, K, pad), OW = Conv2d.outputSize(W, K, pad);
        int wOff = 3, bOff = wOff + OC * C * K * K + 1, P = bOff + OC + 2;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] in = randomFloats(rnd, N * C * H * W, 1.0);
        float[] dOut = randomFloats(rnd, N * OC * OH * OW, 1.0);

        float[] outPlain = randomFloats(new Random(1), N * OC * OH * OW, 9.0);
        float[] outDev = outPlain.clone();
        Conv2d.forward(outPlain, in, params, wOff, bOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        Conv2dDevice.forward(outDev, in, params, wOff, bOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        assertEqualToPlain("conv forward", outPlain, outDev, start * OC * OH * OW, (start + count) * OC * OH * OW);

        float[] dInPlain = randomFloats(new Random(2), N * C * H * W, 9.0);
        float[] dInDev = dInPlain.clone();
        Conv2d.backwardInput(dInPlain, dOut, params, wOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        Conv2dDevice.backwardInput(dInDev, dOut, params, wOff, C, H, W, OC, K, K, pad, OH, OW, start, count);
        assertEqualToPlain("conv backwardInput", dInPlain, dInDev, start * C * H * W, (start + count) * C * H * W);

        int ocStart = Math.min(start, OC - 1), ocCount = Math.min(count, OC - ocStart);
        int ckk = C * K * K;
        float[] gPlain = randomFloats(new Random(3), P, 9.0);
        float[] gDev = gPlain.clone();
        Conv2d.backwardWeights(gPlain, dOut, in, wOff, N, C, H, W, OC, K, K, pad, OH, OW, ocStart, ocCount);
        Conv2dDevice.backwardWeights(gDev, dOut, in, wOff, N, C, H, W, OC, K, K, pad, OH, OW, ocStart, ocCount);
        assertEqualToPlain("conv backwardWeights", gPlain, gDev, wOff + ocStart * ckk, wOff + (ocStart + ocCount) * ckk);
    }
}
