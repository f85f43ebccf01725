package relutornado.metrics;

/**
 * Summary statistics of fold scores. {@link #std} is the population standard deviation (ddof = 0),
 * what {@code numpy.std} returns by default and what the paper's author reported as "± sd" of the
 * cross-validation accuracies; it is smaller than the sample sd (ddof = 1) by sqrt((n-1)/n).
 */
public final class Stats {
    private Stats() {
    }

    /** Arithmetic mean; NaN if any value is NaN. */
    public static double mean(double[] values) {
        check(values);
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * Population standard deviation sqrt(sum((x - mean)^2) / n), two-pass like numpy (mean first,
     * then squared deviations) to avoid the cancellation of sum(x^2) - n mean^2. One value → 0.
     */
    public static double std(double[] values) {
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            double d = v - m;
            ss += d * d;
        }
        return Math.sqrt(ss / values.length);
    }

    /**
     * Median of the values that are not NaN (the mean of the middle two for an even count); NaN when none are.
     * Unlike {@link #mean}, a missing figure (NaN: a cell not done, an unprofiled epoch) is left out, not propagated.
     */
    public static double median(double[] values) {
        double[] s = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = s.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void check(double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("statistics need at least one value");
        }
    }
}
