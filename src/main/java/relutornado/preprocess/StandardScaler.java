package relutornado.preprocess;

/**
 * sklearn's StandardScaler: z = (x - mean) / std per feature, mean and population std (ddof 0)
 * fitted on training data; a constant feature gets std 1 (sklearn leaves it centred, not divided).
 */
public record StandardScaler(double[] mean, double[] scale) {

    public static StandardScaler fit(float[] x, int rows, int features) {
        if (rows < 1 || (long) rows * features != x.length) {
            throw new IllegalArgumentException("StandardScaler.fit: " + x.length + " values are not " + rows + " x " + features);
        }
        double[] mean = new double[features];
        double[] m2 = new double[features];
        // Welford's update per feature: stable for the 55,000-row image sets
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                double value = x[r * features + f];
                double delta = value - mean[f];
                mean[f] += delta / (r + 1);
                m2[f] += delta * (value - mean[f]);
            }
        }
        double[] scale = new double[features];
        for (int f = 0; f < features; f++) {
            double sd = Math.sqrt(m2[f] / rows);
            scale[f] = sd > 0 ? sd : 1.0;
        }
        return new StandardScaler(mean, scale);
    }

    public float[] transform(float[] x, int rows) {
        int features = mean.length;
        if ((long) rows * features != x.length) {
            throw new IllegalArgumentException("StandardScaler.transform: " + x.length + " values are not " + rows + " x " + features);
        }
        float[] z = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                z[r * features + f] = (float) ((x[r * features + f] - mean[f]) / scale[f]);
            }
        }
        return z;
    }
}
