package relutornado.preprocess;

/** What the image sets feed the model ({@code --input}); WDBC always feeds its 30 features. */
public enum Input {
    /**
     * The author's: pixels standardised per pixel (StandardScaler) then PCA to {@code --pca} components
     * (256), both fitted on the training set. The CNN reads the components as a square image (16×16×1).
     */
    PCA,
    /**
     * The 28×28 images, pixels scaled to [0, 1] (/255) and nothing else: no per-pixel standardisation,
     * which would divide the almost-constant border pixels by a tiny deviation and give the same stroke
     * different values at different places (the CNN's filters are shared across positions); no PCA.
     * The CNN reads (1, 28, 28), the FFNN 784 features.
     */
    PIXELS;

    /** The flag value picocli matches. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
