package relutornado.kernels;

import static relutornado.kernels.PlainKernelComparison.compareDense;
import static relutornado.kernels.PlainKernelComparison.compareGram;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GemmTiles#gemm} as the dense products and the Gram matrix (the strides the engine's VectorVariants passes)
 * against the plain kernels, for every register tile rows × cols in {1..8}×{1..8} that matters (the tiles family's
 * {2,4,8}² among them) on the shared odd shapes, batch 1 and sub-ranges: run here as plain Java. The convolutions reach
 * it through {@link Im2col}; they and the device run are TornadoVM's tests (TunedKernelsOnDeviceTest).
 */
class GemmTilesTest {

    /** Every (tm, tn) of the tiles family plus the odd edges 1, 3 and 7 (each guard of the 8×8 kernel taken once). */
    static List<int[]> tileShapes() {
        List<int[]> out = new ArrayList<>();
        for (int tm : new int[] {1, 2, 3, 4, 7, 8}) {
            for (int tn : new int[] {1, 2, 3, 4, 7, 8}) {
                out.add(new int[] {tm, tn});
            }
        }
        return out;
    }

    static Stream<Arguments> denseByTile() {
        return PlainKernelComparison.denseCases().flatMap(c -> tileShapes().stream().map(t -> {
            Object[] s = c.get();
            return Arguments.of(t[0], t[1], s[0], s[1], s[2], s[3], s[4]);
        }));
    }

    static Stream<Arguments> gramByTile() {
        return PlainKernelComparison.gramCases().flatMap(c -> tileShapes().stream().map(t -> {
            Object[] s = c.get();
            return Arguments.of(t[0], t[1], s[0], s[1], s[2], s[3]);
        }));
    }

    @ParameterizedTest(name = "tile {0}x{1} dense N={2} C={3} OC={4} range [{5}, +{6})")
    @MethodSource("denseByTile")
    void denseProductsEqualThePlainKernels(int tm, int tn, int N, int C, int OC, int start, int count) {
        compareDense(
                (out, in, params, wOff, bOff, c, oc, s, n) -> GemmTiles.gemm(out, 0, oc, 1, oc, in, c, 1, params, wOff, oc, 1, c, bOff, 0,
                        tm, tn, s, n),
                (dIn, dOut, params, wOff, c, oc, s, n) -> GemmTiles.gemm(dIn, 0, c, 1, c, dOut, oc, 1, params, wOff, 1, oc, oc, -1, 0,
                        tm, tn, s, n),
                (grads, dOut, in, wOff, rows, c, oc, s, n) -> GemmTiles.gemm(grads, wOff, oc, 1, oc, in, 1, c, dOut, 0, oc, 1, rows, -1, 0,
                        tm, tn, s, n),
                N, C, OC, start, count);
    }

    @ParameterizedTest(name = "tile {0}x{1} Gram N={2} F={3} range [{4}, +{5})")
    @MethodSource("gramByTile")
    void gramEqualsThePlainKernel(int tm, int tn, int N, int F, int start, int count) {
        compareGram((out, in, n, f, s, cnt) -> GemmTiles.gemm(out, 0, f, 1, f, in, 1, f, in, 0, f, 1, n, -1, 1, tm, tn, s, cnt),
                N, F, start, count);
    }
}
