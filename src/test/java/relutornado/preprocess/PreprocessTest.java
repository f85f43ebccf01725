package relutornado.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import relutornado.engine.JavaEngine;
import relutornado.engine.ParallelJavaEngine;

class PreprocessTest {

    @Test
    void standardScalerMatchesHandComputedMeanAndPopulationStd() {
        // feature 0: 1, 2, 3, 6 → mean 3, var ((4+1+0+9)/4) = 3.5; feature 1 is constant → scale 1
        float[] x = {1, 5, 2, 5, 3, 5, 6, 5};
        StandardScaler s = StandardScaler.fit(x, 4, 2);
        assertArrayEquals(new double[] {3, 5}, s.mean(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(3.5), 1}, s.scale(), 1e-12);
        float[] z = s.transform(new float[] {3 + (float) Math.sqrt(3.5), 7}, 1);
        assertArrayEquals(new float[] {1, 2}, z, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> StandardScaler.fit(x, 3, 2));
    }

    /**
     * Points ±3·u1, ±2·u2, ±1·u3 for a known orthonormal basis (u1, u2, u3) of R^3: the covariance is
     * (2/5)·(9 u1u1ᵀ + 4 u2u2ᵀ + 1 u3u3ᵀ), so the components are u1, u2, u3 (up to sign) with
     * variances 3.6, 1.6, 0.4, and projecting the points gives back ±3, ±2, ±1.
     */
    @Test
    void pcaRecoversAKnownDecomposition() {
        double c = Math.cos(0.7), s = Math.sin(0.7);
        // rotation about z by 0.7 rad, then the axes permuted: u1, u2, u3 are its columns
        double[][] u = {{c, s, 0}, {-s, c, 0}, {0, 0, 1}};
        double[] scales = {3, 2, 1};
        float[] x = new float[6 * 3];
        double[] offset = {10, -4, 2}; // PCA must centre
        for (int k = 0; k < 3; k++) {
            for (int sign = 0; sign < 2; sign++) {
                int row = 2 * k + sign;
                for (int f = 0; f < 3; f++) {
                    x[row * 3 + f] = (float) (offset[f] + (sign == 0 ? 1 : -1) * scales[k] * u[k][f]);
                }
            }
        }
        for (var engine : new relutornado.engine.Engine[] {new JavaEngine(), new ParallelJavaEngine(2, true)}) {
            Pca pca = Pca.fit(x, 6, 3, 2, engine);
            assertArrayEquals(new double[] {3.6, 1.6}, pca.variances(), 1e-5);
            assertEquals((3.6 + 1.6) / (3.6 + 1.6 + 0.4), pca.explainedVarianceRatio(), 1e-6);
            for (int j = 0; j < 2; j++) {
                double dot = 0;
                for (int f = 0; f < 3; f++) {
                    dot += pca.components()[f * 2 + j] * u[j][f];
                }
                assertEquals(1.0, Math.abs(dot), 1e-5, "component " + j + " must be ±u" + (j + 1));
            }
            float[] projected = pca.transform(x, 6, engine);
            for (int row = 0; row < 6; row++) {
                int k = row / 2;
                double expected = scales[k];
                double[] got = {projected[row * 2], projected[row * 2 + 1]};
                // the row's coordinate on its own axis is ±scale, on the other kept axis 0
                for (int j = 0; j < 2; j++) {
                    assertEquals(j == k ? expected : 0.0, Math.abs(got[j]), 1e-4, "row " + row + " component " + j);
                }
            }
            engine.close();
        }
    }

    @Test
    void pcaRejectsBadComponentCounts() {
        var e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[12], 4, 3, 4, new JavaEngine()));
        assertEquals(true, e.getMessage().contains("1..3"), e.getMessage());
    }
}
