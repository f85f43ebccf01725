package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static relutornado.kernels.GradCheck.assertClose;
import static relutornado.kernels.GradCheck.awayFromZero;
import static relutornado.kernels.GradCheck.numericGradient;
import static relutornado.kernels.GradCheck.randomFloats;
import static relutornado.kernels.GradCheck.toDouble;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationDropoutTest {

    @Test
    void reluForwardAndBackwardMatchFiniteDifferences() {
        Random rnd = new Random(1);
        int E = 40;
        float[] in = awayFromZero(rnd, E, 2.0);
        float[] up = randomFloats(rnd, E, 1.0);
        float[] out = new float[E];
        Activation.reluForward(out, in, 0, E);
        double[] ref = new double[E];
        for (int i = 0; i < E; i++) {
            ref[i] = Math.max(0, in[i]);
        }
        assertClose("relu forward", ref, out, 0, 0);

        double[] upD = toDouble(up);
        double[] num = numericGradient(toDouble(in), x -> {
            double s = 0;
            for (int i = 0; i < E; i++) {
                s += Math.max(0, x[i]) * upD[i];
            }
            return s;
        });
        float[] dIn = new float[E];
        Activation.reluBackward(dIn, up, in, 0, E);
        assertClose("relu dIn", num, dIn, 1e-6, 1e-6);
    }

    @Test
    void dropoutScalesKeptUnitsDropsTheRestAndBackwardUsesTheSameMask() {
        int E = 20_000;
        float rate = 0.1f;
        float[] in = new float[E];
        java.util.Arrays.fill(in, 2.0f);
        float[] out = new float[E];
        float[] mask = new float[E];
        int[] rng = {10, 3};
        Dropout.forward(out, mask, in, rng, 1, rate, 0, E);
        int dropped = 0;
        for (int i = 0; i < E; i++) {
            if (mask[i] == 0f) {
                dropped++;
                assertEquals(0f, out[i]);
            } else {
                assertEquals(1f / (1f - rate), mask[i]);
                assertEquals(2f / (1f - rate), out[i], 1e-6);
            }
        }
        // binomial(20000, 0.1): sd ≈ 42, so ±250 is > 5 sd
        assertTrue(Math.abs(dropped - E * rate) < 250, "dropped " + dropped + " of " + E + " at rate " + rate);

        float[] up = randomFloats(new Random(2), E, 1.0);
        float[] dIn = new float[E];
        Dropout.backward(dIn, up, mask, 0, E);
        for (int i = 0; i < E; i++) {
            assertEquals(up[i] * mask[i], dIn[i]);
        }
    }

    @Test
    void dropoutMaskIsAFunctionOfSeedStepLayerAndIndexOnly() {
        int E = 1000;
        float[] in = new float[E];
        java.util.Arrays.fill(in, 1f);
        float[] a = new float[E], b = new float[E], m = new float[E];
        Dropout.forward(a, m, in, new int[] {10, 7}, 2, 0.5f, 0, E);
        // the same mask, computed in two sub-ranges (as the multi-core engine does)
        Dropout.forward(b, m, in, new int[] {10, 7}, 2, 0.5f, 0, 400);
        Dropout.forward(b, m, in, new int[] {10, 7}, 2, 0.5f, 400, 600);
        assertArrayEquals(a, b);
        float[] other = new float[E];
        Dropout.forward(other, m, in, new int[] {10, 8}, 2, 0.5f, 0, E);
        assertTrue(!java.util.Arrays.equals(a, other), "a new step must draw a new mask");
        Dropout.forward(other, m, in, new int[] {10, 7}, 3, 0.5f, 0, E);
        assertTrue(!java.util.Arrays.equals(a, other), "another layer must draw another mask");
    }

    @Test
    void uniformHashIsInUnitIntervalAndRoughlyUniform() {
        int[] buckets = new int[10];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            float u = Dropout.uniform(10, 0, 0, i);
            assertTrue(u >= 0f && u < 1f, "u=" + u);
            buckets[(int) (u * 10)]++;
        }
        for (int b : buckets) {
            // expected 10,000 per bucket, sd ≈ 95
            assertTrue(Math.abs(b - n / 10) < 600, java.util.Arrays.toString(buckets));
        }
    }
}
