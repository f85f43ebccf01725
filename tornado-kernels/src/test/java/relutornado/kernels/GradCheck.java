package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/** Finite differences in double precision, and float-vs-reference comparisons, for kernel tests. */
final class GradCheck {
    /** Central-difference step for double-precision references. */
    static final double H = 1e-6;

    private GradCheck() {
    }

    static float[] randomFloats(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** Values bounded away from 0 (|x| in [0.1, scale]) so ReLU kinks do not sit inside a finite difference. */
    static float[] awayFromZero(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double mag = 0.1 + rnd.nextDouble() * (scale - 0.1);
            a[i] = (float) (rnd.nextBoolean() ? mag : -mag);
        }
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** dL/dx by central differences on a double-precision objective; x is restored afterwards. */
    static double[] numericGradient(double[] x, ToDoubleFunction<double[]> loss) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + H;
            double plus = loss.applyAsDouble(x);
            x[i] = keep - H;
            double minus = loss.applyAsDouble(x);
            x[i] = keep;
            g[i] = (plus - minus) / (2 * H);
        }
        return g;
    }

    /** Asserts |a - e| <= atol + rtol·|e| elementwise and prints the max difference, as llm.c's tests do. */
    static void assertClose(String what, double[] expected, float[] actual, int actualOffset, double rtol, double atol) {
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[actualOffset + i]));
        }
        System.out.printf("%-44s max |diff| = %.3e (rtol %.0e, atol %.0e)%n", what, maxDiff, rtol, atol);
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[actualOffset + i]);
            double bound = atol + rtol * Math.abs(expected[i]);
            int idx = i;
            assertTrue(diff <= bound, () -> what + "[" + idx + "]: expected " + expected[idx] + " got "
                    + actual[actualOffset + idx] + " (|diff| " + diff + " > " + bound + ")");
        }
    }

    static void assertClose(String what, double[] expected, float[] actual, double rtol, double atol) {
        assertClose(what, expected, actual, 0, rtol, atol);
    }
}
