package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static relutornado.kernels.GradCheck.assertClose;
import static relutornado.kernels.GradCheck.randomFloats;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamLinalgTest {

    @Test
    void adamMatchesTheTextbookUpdateOverSeveralSteps() {
        Random rnd = new Random(3);
        int P = 17;
        double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        float[] params = randomFloats(rnd, P, 1.0);
        float[] m = new float[P], v = new float[P];
        double[] pRef = GradCheck.toDouble(params);
        double[] mRef = new double[P], vRef = new double[P];
        for (int step = 1; step <= 5; step++) {
            float[] grads = randomFloats(rnd, P, 0.5);
            double lrT = lr * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
            Adam.update(params, m, v, grads, new float[] {(float) lrT, (float) b1, (float) b2, (float) eps}, 0, P);
            for (int i = 0; i < P; i++) {
                mRef[i] = b1 * mRef[i] + (1 - b1) * grads[i];
                vRef[i] = b2 * vRef[i] + (1 - b2) * grads[i] * grads[i];
                pRef[i] -= lrT * mRef[i] / (Math.sqrt(vRef[i]) + eps);
            }
        }
        assertClose("adam params", pRef, params, 1e-5, 1e-6);
        assertClose("adam m", mRef, m, 1e-5, 1e-7);
        assertClose("adam v", vRef, v, 1e-5, 1e-8);
    }

    @Test
    void firstAdamStepMovesEachParameterByAboutLr() {
        // Adam's first step is lr·sign(g) (up to ε): a classic hand check.
        float[] params = {1f, 1f, 1f};
        float[] grads = {0.3f, -2f, 1e-3f};
        double lrT = 1e-3 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        Adam.update(params, new float[3], new float[3], grads, new float[] {(float) lrT, 0.9f, 0.999f, 1e-8f}, 0, 3);
        assertEquals(1 - 1e-3, params[0], 1e-6);
        assertEquals(1 + 1e-3, params[1], 1e-6);
        assertEquals(1 - 1e-3, params[2], 1e-5);
    }

    @Test
    void gramAccumulatesTheUpperTriangleOverChunks() {
        Random rnd = new Random(4);
        int N = 9, F = 5;
        float[] x = randomFloats(rnd, N * F, 1.0);
        float[] gram = new float[F * F];
        // two chunks: rows 0..3 and 4..8 (second padded to 5 rows with zeros in the real caller)
        Linalg.gramAccumulate(gram, java.util.Arrays.copyOfRange(x, 0, 4 * F), 4, F, 0, F);
        Linalg.gramAccumulate(gram, java.util.Arrays.copyOfRange(x, 4 * F, N * F), N - 4, F, 0, F);
        double[] ref = new double[F * F];
        for (int i = 0; i < F; i++) {
            for (int j = 0; j < F; j++) {
                if (j >= i) {
                    for (int n = 0; n < N; n++) {
                        ref[i * F + j] += (double) x[n * F + i] * x[n * F + j];
                    }
                }
            }
        }
        assertClose("gram upper triangle", ref, gram, 1e-5, 1e-6);
    }
}
