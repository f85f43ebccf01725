package relutornado.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static relutornado.metrics.ConfusionMatrixTest.assertMessage;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void meanAndPopulationStd() {
        double[] x = {1, 2, 3, 4};
        assertEquals(2.5, Stats.mean(x), 1e-15);
        // deviations ±1.5, ±0.5: (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25, ddof = 0 → sqrt(1.25);
        // numpy.std([1, 2, 3, 4]) = 1.118033988749895 (the sample sd, ddof = 1, would be sqrt(5/3))
        assertEquals(Math.sqrt(1.25), Stats.std(x), 1e-15);
        assertEquals(1.118033988749895, Stats.std(x), 1e-15);
    }

    @Test
    void singleValueHasZeroSpread() {
        assertEquals(0.97, Stats.mean(new double[] {0.97}));
        assertEquals(0.0, Stats.std(new double[] {0.97}));
    }

    @Test
    void twoPassKeepsPrecisionForLargeOffsets() {
        // sum(x^2)/n - mean^2 would lose everything here; the two-pass form gives exactly 0.5
        double[] x = {1e9 + 0.5, 1e9 + 1.5};
        assertEquals(0.5, Stats.std(x), 1e-9);
    }

    @Test
    void nanPropagates() {
        assertTrue(Double.isNaN(Stats.mean(new double[] {1, Double.NaN})));
        assertTrue(Double.isNaN(Stats.std(new double[] {1, Double.NaN})));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        double[] x = {10, 1, 3, 2};
        assertEquals(2.5, Stats.median(x), "even: the mean of the middle two");
        assertArrayEquals(new double[] {10, 1, 3, 2}, x, "the caller's array stays unsorted");
        assertEquals(3.0, Stats.median(new double[] {5, 3, 1}), "odd: the middle one");
        assertEquals(0.97, Stats.median(new double[] {0.97}));
    }

    @Test
    void medianLeavesNanOutAndIsNanWithoutValues() {
        assertEquals(3.0, Stats.median(new double[] {Double.NaN, 5, 1, 3, Double.NaN}));
        assertTrue(Double.isNaN(Stats.median(new double[0])));
        assertTrue(Double.isNaN(Stats.median(new double[] {Double.NaN, Double.NaN})));
    }

    @Test
    void rejectsEmpty() {
        assertMessage(() -> Stats.mean(new double[0]), "at least one value");
        assertMessage(() -> Stats.std(null), "at least one value");
    }
}
