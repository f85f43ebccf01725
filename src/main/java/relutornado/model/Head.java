package relutornado.model;

/** The classifier on the last layer's raw scores o = h·W + b. */
public enum Head {
    /** softmax(o) with categorical cross-entropy. */
    SOFTMAX,
    /** DL-ReLU: f(o) = max(0, o), normalised inside Keras' cross-entropy; prediction argmax f(o). */
    RELU;

    public static Head parse(String flag) {
        return switch (flag) {
            case "softmax" -> SOFTMAX;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("--head must be softmax or relu, got '" + flag + "'");
        };
    }

    public String flag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
