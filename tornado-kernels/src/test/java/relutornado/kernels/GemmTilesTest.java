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
 * {2,4,8}² among them) on the shared odd shapes, batch 1 and sub-ranges, and the convolutions through {@link Im2col}
 * for the family's values: run here as plain Java. The device run is TornadoVM's test (TunedKernelsOnDeviceTest).
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

    /** The tiles family's {2,4,8}² on the shared convolution cases. */
    static Stream<Arguments> convByTile() {
        return PlainKernelComparison.convCases().flatMap(c -> tileShapes().stream().filter(t -> Integer.bitCount(t[0]) == 1 && t[0] > 1
                && Integer.bitCount(t[1]) == 1 && t[1] > 1).map(t -> {
            Object[] s = c.get();
            return Arguments.of(t[0], t[1], s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]);
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

    /** The convolutions as VectorVariants runs them: im2col (patches, transposes) around one GEMM. P = OH·OW, T = C·K·K. */
    @ParameterizedTest(name = "tile {0}x{1} conv N={2} C={3} {4}x{5} OC={6} K={7} pad={8} range [{9}, +{10})")
    @MethodSource("convByTile")
    void convolutionProductsThroughIm2colEqualThePlainKernels(int tm, int tn, int N, int C, int H, int W, int OC, int K, int pad,
                                                             int start, int count) {
        PlainKernelComparison.compareConv(
                (out, in, params, wOff, bOff, c, h, w, oc, kh, kw, pd, oh, ow, s, n) -> {
                    int P = oh * ow, T = c * kh * kw;
                    float[] cols = new float[(s + n) * P * T];
                    float[] outP = new float[(s + n) * P * oc];
                    Im2col.patches(cols, in, c, h, w, kh, kw, pd, oh, ow, s, n);
                    GemmTiles.gemm(outP, 0, oc, 1, oc, cols, T, 1, params, wOff, 1, T, T, bOff, 0, tm, tn, s * P, n * P);
                    Im2col.transposeInner(out, outP, P, oc, s, n);
                },
                (dIn, dOut, params, wOff, c, h, w, oc, kh, kw, pd, oh, ow, s, n) -> {
                    int P = oh * ow, T = c * kh * kw;
                    float[] dOutP = new float[(s + n) * P * oc];
                    float[] dCols = new float[(s + n) * P * T];
                    Im2col.transposeInner(dOutP, dOut, oc, P, s, n);
                    GemmTiles.gemm(dCols, 0, T, 1, T, dOutP, oc, 1, params, wOff, T, 1, oc, -1, 0, tm, tn, s * P, n * P);
                    Im2col.gather(dIn, dCols, c, h, w, kh, kw, pd, oh, ow, s, n);
                },
                (grads, dOut, in, wOff, rows, c, h, w, oc, kh, kw, pd, oh, ow, s, n) -> {
                    // the range is over output channels, the product's columns; its rows are the T taps
                    int P = oh * ow, T = c * kh * kw;
                    float[] dOutP = new float[rows * P * oc];
                    float[] cols = new float[rows * P * T];
                    Im2col.transposeInner(dOutP, dOut, oc, P, 0, rows);
                    Im2col.patches(cols, in, c, h, w, kh, kw, pd, oh, ow, 0, rows);
                    GemmTiles.gemm(grads, wOff + s * T, 1, T, n, cols, 1, T, dOutP, s, oc, 1, rows * P, -1, 0, tm, tn, 0, T);
                },
                null, N, C, H, W, OC, K, pad, start, count);
    }
}
