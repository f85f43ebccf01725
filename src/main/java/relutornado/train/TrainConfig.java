package relutornado.train;

/**
 * Optimiser and loop settings. Defaults are the paper's: Adam(lr 1e-3, β1 0.9, β2 0.999, ε 1e-8),
 * batch 256, 32 epochs, seed 10.
 */
public record TrainConfig(int epochs, int batch, double lr, double beta1, double beta2, double epsilon, long seed) {
    public static final int EPOCHS = 32;
    public static final int BATCH = 256;
    public static final double LR = 1e-3;
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;
    public static final long SEED = 10;

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be > 0, got " + epsilon);
        }
    }

    public static TrainConfig paper(int epochs, int batch, long seed) {
        return new TrainConfig(epochs, batch, LR, BETA1, BETA2, EPSILON, seed);
    }
}
