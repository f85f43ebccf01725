package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static relutornado.kernels.GradCheck.assertClose;
import static relutornado.kernels.GradCheck.numericGradient;
import static relutornado.kernels.GradCheck.randomFloats;
import static relutornado.kernels.GradCheck.toDouble;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxPoolTest {

    /** Straightforward double reference: the max over each full 2x2 window, leftovers dropped. */
    static double[] reference(double[] in, int N, int C, int H, int W) {
        int OH = H / 2, OW = W / 2;
        double[] out = new double[N * C * OH * OW];
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                m = Math.max(m, in[((n * C + c) * H + 2 * oh + dy) * W + 2 * ow + dx]);
                            }
                        }
                        out[((n * C + c) * OH + oh) * OW + ow] = m;
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "N={0} C={1} {2}x{3}")
    @CsvSource({
        "1, 1, 4, 4",  // batch 1, one channel
        "2, 3, 5, 7",  // odd leftover row and column
        "1, 1, 2, 2",  // one window
        "3, 8, 6, 5",  // many channels, odd width
        "2, 2, 3, 2",  // odd height only
    })
    void forwardMatchesReferenceAndBackwardMatchesFiniteDifferences(int N, int C, int H, int W) {
        int OH = H / 2, OW = W / 2;
        Random rnd = new Random(N * 131 + C * 17 + H * 5 + W);
        // distinct values (no ties): the max is differentiable and a 1e-6 step never changes the argmax
        float[] in = GradCheck.awayFromZero(rnd, N * C * H * W, 4.0);
        float[] upstream = randomFloats(rnd, N * C * OH * OW, 1.0);

        float[] out = Conv2dTest.nans(N * C * OH * OW);
        MaxPool.forward2x2(out, in, C, H, W, OH, OW, 0, N);
        assertClose("pool forward " + N + "x" + C + "x" + H + "x" + W, reference(toDouble(in), N, C, H, W), out, 0, 0);

        double[] up = toDouble(upstream);
        double[] dInNum = numericGradient(toDouble(in), x -> DenseTest.dot(reference(x, N, C, H, W), up));
        float[] dIn = Conv2dTest.nans(N * C * H * W); // every element, leftovers included, must be written
        MaxPool.backward2x2(dIn, upstream, in, C, H, W, OH, OW, 0, N);
        assertClose("pool dIn " + N + "x" + C + "x" + H + "x" + W, dInNum, dIn, 1e-6, 1e-6);
    }

    @Test
    void tiesRouteTheGradientToTheFirstMaximumOnly() {
        // one 3x3 image: window (0,0) all equal; the odd last row and column get zero
        float[] in = {
            1, 1, 7,
            1, 1, 7,
            7, 7, 7};
        float[] dIn = Conv2dTest.nans(9);
        MaxPool.backward2x2(dIn, new float[] {5}, in, 1, 3, 3, 1, 1, 0, 1);
        assertArrayEquals(new float[] {5, 0, 0, 0, 0, 0, 0, 0, 0}, dIn);
        float[] in2 = {0, 3, 3, 3};
        MaxPool.backward2x2(dIn, new float[] {2}, in2, 1, 2, 2, 1, 1, 0, 1);
        assertEquals(2f, dIn[1]);
        assertEquals(0f, dIn[0] + dIn[2] + dIn[3]);
    }

    @ParameterizedTest(name = "split into {0}")
    @CsvSource({"1", "2", "3", "4"})
    void subRangesComposeToTheWholeRange(int parts) {
        Random rnd = new Random(3);
        int N = 4, C = 3, H = 7, W = 6, OH = H / 2, OW = W / 2;
        float[] in = randomFloats(rnd, N * C * H * W, 1.0);
        float[] dOut = randomFloats(rnd, N * C * OH * OW, 1.0);
        float[] out = new float[N * C * OH * OW], outParts = new float[out.length];
        float[] dIn = new float[N * C * H * W], dInParts = new float[dIn.length];
        MaxPool.forward2x2(out, in, C, H, W, OH, OW, 0, N);
        MaxPool.backward2x2(dIn, dOut, in, C, H, W, OH, OW, 0, N);
        for (int p = 0; p < parts; p++) {
            int n0 = p * N / parts, n1 = (p + 1) * N / parts;
            MaxPool.forward2x2(outParts, in, C, H, W, OH, OW, n0, n1 - n0);
            MaxPool.backward2x2(dInParts, dOut, in, C, H, W, OH, OW, n0, n1 - n0);
        }
        assertArrayEquals(out, outParts, "forward");
        assertArrayEquals(dIn, dInParts, "backward");
    }
}
