package relutornado.study;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;
import relutornado.metrics.Stats;

/**
 * ReLU head minus softmax head, paired by seed (the same seed gives both heads the same folds, shuffles and initial
 * hidden weights): the median of the differences, a distribution-free interval for it and the Wilcoxon signed-rank test
 * of "no difference" (Apache Commons Statistics).
 * <ul>
 *   <li>The interval is the sign-test (order-statistic) interval for the median difference: [d(k), d(n+1−k)] of the sorted
 *       differences, with the largest k whose coverage 1 − 2·P(Bin(n, ½) ≤ k − 1) is at least 95 %. Five pairs or fewer
 *       cannot reach 95 %: the interval is then [min, max] and {@code ciLevel} says its coverage (93.75 % for five).</li>
 *   <li>The p-value is two-sided; exact when no difference is zero and no two are tied in size, else the library's normal
 *       approximation with tie and continuity correction ({@code exact} says which). {@code smallestP} is the smallest
 *       two-sided p that n pairs can give at all (every difference of one sign: 2 / 2ⁿ, 0.0625 for five).</li>
 * </ul>
 *
 * @param differences relu − softmax per pair, in the pairs' order (fractions)
 * @param median      their median
 * @param ciLow       the interval's lower end
 * @param ciHigh      its upper end
 * @param ciLevel     its coverage (≥ 0.95 where n allows)
 * @param p           the Wilcoxon signed-rank two-sided p; NaN when every difference is 0 (no test)
 * @param exact       whether p is exact (else the normal approximation)
 * @param smallestP   the smallest two-sided p possible with these many pairs
 */
public record PairedDifference(double[] differences, double median, double ciLow, double ciHigh, double ciLevel, double p,
                               boolean exact, double smallestP) {

    /** The confidence the interval aims for. */
    public static final double LEVEL = 0.95;

    public int pairs() {
        return differences.length;
    }

    /** Whether these many pairs can give p below {@code alpha} two-sided at all. */
    public boolean canReach(double alpha) {
        return smallestP < alpha;
    }

    /** The comparison of {@code relu[i]} with {@code softmax[i]} (one pair per seed); at least one pair. */
    public static PairedDifference of(double[] relu, double[] softmax) {
        if (relu.length != softmax.length || relu.length == 0) {
            throw new IllegalArgumentException("paired comparison: need the same number (at least 1) of ReLU and softmax results, got "
                    + relu.length + " and " + softmax.length);
        }
        int n = relu.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = relu[i] - softmax[i];
        }
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        double median = Stats.median(sorted);
        // the sign-test interval: the widest, k = 1, first; then narrower ones while they still cover 95 %
        BinomialDistribution signs = BinomialDistribution.of(n, 0.5);
        int k = 1;
        while (k + 1 <= (n + 1) / 2 && 1 - 2 * signs.cumulativeProbability(k) >= LEVEL) {
            k++;
        }
        double level = 1 - 2 * signs.cumulativeProbability(k - 1);
        double p = Double.NaN;
        boolean exact = false;
        if (Arrays.stream(d).anyMatch(x -> x != 0)) {
            WilcoxonSignedRankTest.Result r = WilcoxonSignedRankTest.withDefaults().with(PValueMethod.EXACT).test(d);
            p = r.getPValue();
            exact = !r.hasTiedValues() && !r.hasZeroValues();
        }
        double[] extreme = new double[n];
        for (int i = 0; i < n; i++) {
            extreme[i] = i + 1;
        }
        double smallest = WilcoxonSignedRankTest.withDefaults().with(PValueMethod.EXACT).test(extreme).getPValue();
        return new PairedDifference(d, median, sorted[k - 1], sorted[n - k], level, p, exact, smallest);
    }
}
