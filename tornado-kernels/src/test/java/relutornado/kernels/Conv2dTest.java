package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static relutornado.kernels.GradCheck.assertClose;
import static relutornado.kernels.GradCheck.numericGradient;
import static relutornado.kernels.GradCheck.randomFloats;
import static relutornado.kernels.GradCheck.toDouble;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Conv2dTest {

    /** A convolution case; pad from the padding name as the layers compute it. */
    record Shape(int N, int C, int H, int W, int OC, int KH, int KW, int pad) {
        static Shape of(int N, int C, int H, int W, int OC, int KH, int KW, String padding) {
            return new Shape(N, C, H, W, OC, KH, KW, padding.equals("same") ? (KH - 1) / 2 : 0);
        }

        int OH() {
            return H + 2 * pad - KH + 1;
        }

        int OW() {
            return W + 2 * pad - KW + 1;
        }

        int weights() {
            return OC * C * KH * KW;
        }
    }

    /**
     * Straightforward double reference, written independently of the kernel: loop over every output
     * and every tap, skip taps outside the image.
     */
    static double[] reference(double[] in, double[] params, int wOff, int bOff, Shape s) {
        int OH = s.OH(), OW = s.OW();
        double[] out = new double[s.N * s.OC * OH * OW];
        for (int n = 0; n < s.N; n++) {
            for (int oc = 0; oc < s.OC; oc++) {
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double acc = params[bOff + oc];
                        for (int c = 0; c < s.C; c++) {
                            for (int kh = 0; kh < s.KH; kh++) {
                                for (int kw = 0; kw < s.KW; kw++) {
                                    int ih = oh + kh - s.pad, iw = ow + kw - s.pad;
                                    if (ih >= 0 && ih < s.H && iw >= 0 && iw < s.W) {
                                        acc += in[((n * s.C + c) * s.H + ih) * s.W + iw]
                                                * params[wOff + ((oc * s.C + c) * s.KH + kh) * s.KW + kw];
                                    }
                                }
                            }
                        }
                        out[((n * s.OC + oc) * OH + oh) * OW + ow] = acc;
                    }
                }
            }
        }
        return out;
    }

    static float[] nans(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    @ParameterizedTest(name = "N={0} C={1} {2}x{3} OC={4} k={5}x{6} {7}")
    @CsvSource({
        "1, 1, 5, 5, 1, 3, 3, valid",   // batch 1, one channel
        "2, 3, 7, 6, 4, 3, 3, same",    // odd, non-square image
        "3, 1, 4, 9, 5, 1, 1, valid",   // 1x1 kernel
        "2, 8, 5, 5, 6, 3, 3, same",    // many channels
        "1, 5, 3, 3, 2, 3, 3, valid",   // 1x1 output
        "2, 2, 6, 7, 3, 5, 5, same",    // 5x5 same: two-pixel border
        "2, 2, 5, 4, 3, 3, 1, valid",   // non-square kernel
        "1, 16, 6, 6, 16, 3, 3, valid", // many channels in and out
    })
    void forwardMatchesReferenceAndBackwardMatchesFiniteDifferences(int N, int C, int H, int W, int OC, int KH, int KW,
                                                                     String padding) {
        Shape s = Shape.of(N, C, H, W, OC, KH, KW, padding);
        int OH = s.OH(), OW = s.OW();
        Random rnd = new Random(N * 1009 + C * 101 + H * 13 + W * 7 + OC * 3 + KH + KW);
        int wOff = 4; // tensors sit at non-zero offsets inside the slab, as in a real layout
        int bOff = wOff + s.weights() + 3;
        int P = bOff + OC + 2;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] in = randomFloats(rnd, N * C * H * W, 1.0);
        float[] upstream = randomFloats(rnd, N * OC * OH * OW, 1.0);

        float[] out = nans(N * OC * OH * OW); // every element must be overwritten
        Conv2d.forward(out, in, params, wOff, bOff, C, H, W, OC, KH, KW, s.pad, OH, OW, 0, N);
        assertClose("conv forward " + s, reference(toDouble(in), toDouble(params), wOff, bOff, s), out, 1e-5, 1e-5);

        // L = Σ out · upstream, so dL/dout = upstream
        double[] up = toDouble(upstream);
        double[] inD = toDouble(in);
        double[] paramsD = toDouble(params);
        double[] dInNum = numericGradient(inD, x -> DenseTest.dot(reference(x, paramsD, wOff, bOff, s), up));
        double[] dParamsNum = numericGradient(paramsD, p -> DenseTest.dot(reference(inD, p, wOff, bOff, s), up));

        float[] dIn = nans(N * C * H * W);
        Conv2d.backwardInput(dIn, upstream, params, wOff, C, H, W, OC, KH, KW, s.pad, OH, OW, 0, N);
        assertClose("conv dIn " + s, dInNum, dIn, 1e-4, 1e-4);

        float[] grads = new float[P];
        Arrays.fill(grads, wOff, bOff + OC, Float.NaN);
        Conv2d.backwardWeights(grads, upstream, in, wOff, N, C, H, W, OC, KH, KW, s.pad, OH, OW, 0, OC);
        Conv2d.backwardBias(grads, upstream, bOff, N, OC, OH, OW, 0, OC);
        assertClose("conv dW " + s, Arrays.copyOfRange(dParamsNum, wOff, wOff + s.weights()), grads, wOff, 1e-4, 1e-4);
        assertClose("conv db " + s, Arrays.copyOfRange(dParamsNum, bOff, bOff + OC), grads, bOff, 1e-4, 1e-4);
    }

    @ParameterizedTest(name = "split into {0}")
    @CsvSource({"1", "2", "3", "5"})
    void subRangesComposeToTheWholeRange(int parts) {
        Random rnd = new Random(11);
        Shape s = Shape.of(5, 3, 6, 5, 7, 3, 3, "same");
        int OH = s.OH(), OW = s.OW(), N = s.N, C = s.C, H = s.H, W = s.W, OC = s.OC, K = s.KH;
        int bOff = s.weights();
        float[] params = randomFloats(rnd, bOff + OC, 1.0);
        float[] in = randomFloats(rnd, N * C * H * W, 1.0);
        float[] dOut = randomFloats(rnd, N * OC * OH * OW, 1.0);

        float[] out = new float[N * OC * OH * OW], outParts = new float[out.length];
        float[] dIn = new float[N * C * H * W], dInParts = new float[dIn.length];
        float[] grads = new float[params.length], gradsParts = new float[params.length];
        Conv2d.forward(out, in, params, 0, bOff, C, H, W, OC, K, K, s.pad, OH, OW, 0, N);
        Conv2d.backwardInput(dIn, dOut, params, 0, C, H, W, OC, K, K, s.pad, OH, OW, 0, N);
        Conv2d.backwardWeights(grads, dOut, in, 0, N, C, H, W, OC, K, K, s.pad, OH, OW, 0, OC);
        Conv2d.backwardBias(grads, dOut, bOff, N, OC, OH, OW, 0, OC);
        for (int p = 0; p < parts; p++) {
            int n0 = p * N / parts, n1 = (p + 1) * N / parts;
            int c0 = p * OC / parts, c1 = (p + 1) * OC / parts;
            Conv2d.forward(outParts, in, params, 0, bOff, C, H, W, OC, K, K, s.pad, OH, OW, n0, n1 - n0);
            Conv2d.backwardInput(dInParts, dOut, params, 0, C, H, W, OC, K, K, s.pad, OH, OW, n0, n1 - n0);
            Conv2d.backwardWeights(gradsParts, dOut, in, 0, N, C, H, W, OC, K, K, s.pad, OH, OW, c0, c1 - c0);
            Conv2d.backwardBias(gradsParts, dOut, bOff, N, OC, OH, OW, c0, c1 - c0);
        }
        assertArrayEquals(out, outParts, "forward");
        assertArrayEquals(dIn, dInParts, "backwardInput");
        assertArrayEquals(grads, gradsParts, "backwardWeights and backwardBias");
    }

    @Test
    void samePaddingKeepsTheSizeAndValidShrinksIt() {
        assertEquals(28, Conv2d.outputSize(28, 3, 1));
        assertEquals(26, Conv2d.outputSize(28, 3, 0));
        assertEquals(16, Conv2d.outputSize(16, 5, 2));
    }
}
