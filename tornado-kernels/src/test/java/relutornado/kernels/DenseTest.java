package relutornado.kernels;

import static relutornado.kernels.GradCheck.assertClose;
import static relutornado.kernels.GradCheck.numericGradient;
import static relutornado.kernels.GradCheck.randomFloats;
import static relutornado.kernels.GradCheck.toDouble;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DenseTest {

    /** Double reference: out[n,o] = b[o] + Σ_c in[n,c]·W[c,o]. */
    static double[] reference(double[] in, double[] params, int wOff, int bOff, int N, int C, int OC) {
        double[] out = new double[N * OC];
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < OC; o++) {
                double acc = params[bOff + o];
                for (int c = 0; c < C; c++) {
                    acc += in[n * C + c] * params[wOff + c * OC + o];
                }
                out[n * OC + o] = acc;
            }
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @ParameterizedTest(name = "N={0} C={1} OC={2}")
    @CsvSource({"1,1,1", "3,5,4", "7,13,2", "4,1,9"})
    void forwardMatchesReferenceAndBackwardMatchesFiniteDifferences(int N, int C, int OC) {
        Random rnd = new Random(N * 31 + C * 7 + OC);
        int pad = 3; // tensors sit at non-zero offsets inside the slab, as in a real layout
        int wOff = pad;
        int bOff = wOff + C * OC + 2;
        int P = bOff + OC + 1;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] in = randomFloats(rnd, N * C, 1.0);
        float[] upstream = randomFloats(rnd, N * OC, 1.0);

        float[] out = new float[N * OC];
        Dense.forward(out, in, params, wOff, bOff, C, OC, 0, N);
        assertClose("dense forward", reference(toDouble(in), toDouble(params), wOff, bOff, N, C, OC), out, 1e-5, 1e-5);

        // L = Σ out · upstream, so dL/dout = upstream
        double[] up = toDouble(upstream);
        double[] inD = toDouble(in);
        double[] paramsD = toDouble(params);
        double[] dInNum = numericGradient(inD, x -> dot(reference(x, paramsD, wOff, bOff, N, C, OC), up));
        double[] dParamsNum = numericGradient(paramsD, p -> dot(reference(inD, p, wOff, bOff, N, C, OC), up));

        float[] dIn = new float[N * C];
        Dense.backwardInput(dIn, upstream, params, wOff, C, OC, 0, N);
        assertClose("dense dIn", dInNum, dIn, 1e-4, 1e-4);

        float[] grads = new float[P];
        Dense.backwardWeights(grads, upstream, in, wOff, N, C, OC, 0, C);
        Dense.backwardBias(grads, upstream, bOff, N, OC, 0, OC);
        double[] dW = java.util.Arrays.copyOfRange(dParamsNum, wOff, wOff + C * OC);
        double[] db = java.util.Arrays.copyOfRange(dParamsNum, bOff, bOff + OC);
        assertClose("dense dW", dW, grads, wOff, 1e-4, 1e-4);
        assertClose("dense db", db, grads, bOff, 1e-4, 1e-4);
    }

    @ParameterizedTest(name = "split {0}")
    @CsvSource({"1", "2", "3"})
    void subRangesComposeToTheWholeRange(int parts) {
        Random rnd = new Random(5);
        int N = 7, C = 6, OC = 5;
        float[] params = randomFloats(rnd, C * OC + OC, 1.0);
        float[] in = randomFloats(rnd, N * C, 1.0);
        float[] whole = new float[N * OC];
        Dense.forward(whole, in, params, 0, C * OC, C, OC, 0, N);
        float[] pieces = new float[N * OC];
        for (int p = 0; p < parts; p++) {
            int s = p * N / parts, e = (p + 1) * N / parts;
            Dense.forward(pieces, in, params, 0, C * OC, C, OC, s, e - s);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(whole, pieces);
    }
}
