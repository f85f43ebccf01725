package relutornado.model;

/** The classifier on the last layer's raw scores o = h·W + b. */
public enum Head {
    /** softmax(o) with categorical cross-entropy. */
    SOFTMAX,
    /** DL-ReLU: f(o) = max(0, o), normalised inside Keras' cross-entropy; prediction argmax f(o). */
    RELU;

    /** The name for tables: Softmax, ReLU. */
    public String title() {
        return this == RELU ? "ReLU" : "Softmax";
    }

    /** The flag value picocli matches. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
