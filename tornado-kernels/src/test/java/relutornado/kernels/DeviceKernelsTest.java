package relutornado.kernels;

import static relutornado.kernels.PlainKernelComparison.compareConv;
import static relutornado.kernels.PlainKernelComparison.compareDense;
import static relutornado.kernels.PlainKernelComparison.compareGram;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The register-tiled device variants (DenseDevice, Conv2dDevice, LinalgDevice) equal the plain kernels
 * to 1e-5 relative, run here as the plain Java their {@code @Parallel} loops also are: odd shapes (edge
 * tiles in both dimensions), batch 1, reductions far beyond one tile, sub-ranges (outside them nothing
 * is written). The same comparison on an OpenCL/PTX device is TornadoEngineTest's.
 */
class DeviceKernelsTest {

    @ParameterizedTest(name = "dense N={0} C={1} OC={2} range [{3}, +{4})")
    @MethodSource("relutornado.kernels.PlainKernelComparison#denseCases")
    @CsvSource({
        "9, 6, 3, 1, 6",
        "130, 520, 130, 3, 120",
    })
    void denseEqualsThePlainKernels(int N, int C, int OC, int start, int count) {
        compareDense(DenseDevice::forward, DenseDevice::backwardInput, DenseDevice::backwardWeights, N, C, OC, start, count);
    }

    @ParameterizedTest(name = "Gram N={0} F={1} range [{2}, +{3})")
    @MethodSource("relutornado.kernels.PlainKernelComparison#gramCases")
    @CsvSource({"3, 9, 5, 4"})
    void gramEqualsThePlainKernel(int N, int F, int start, int count) {
        compareGram(LinalgDevice::gramAccumulate, N, F, start, count);
    }

    @ParameterizedTest(name = "conv N={0} C={1} {2}x{3} OC={4} K={5} pad={6} range [{7}, +{8})")
    @MethodSource("relutornado.kernels.PlainKernelComparison#convCases")
    @CsvSource({
        "6, 7, 13, 5, 6, 3, 1, 1, 5",
    })
    void convEqualsThePlainKernels(int N, int C, int H, int W, int OC, int K, int pad, int start, int count) {
        compareConv(Conv2dDevice::forward, Conv2dDevice::backwardInput, Conv2dDevice::backwardWeights, null,
                N, C, H, W, OC, K, pad, start, count);
    }
}
