package relutornado.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import relutornado.data.DatasetName;

/**
 * A model: per-row input shape, layers in order, and the classifier head on the last layer's raw scores.
 *
 * @param name       model name for reports (ffnn, cnn)
 * @param inputShape per-row input shape ({F}, or {C, H, W})
 * @param layers     the layers; the last must output {classes}
 * @param classes    output units
 * @param head       classifier head
 */
public record ModelSpec(String name, int[] inputShape, List<LayerSpec> layers, int classes, Head head) {

    public ModelSpec {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
        if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("model " + name + ": bad input shape " + Arrays.toString(inputShape));
        }
        if (classes < 2) {
            throw new IllegalArgumentException("model " + name + ": needs >= 2 classes, got " + classes);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " has no layers");
        }
        int[] out = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            try {
                out = layers.get(i).outputShape(out);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("model " + name + " on input " + Arrays.toString(inputShape) + ", layer " + i
                        + ": " + e.getMessage(), e);
            }
        }
        if (!Arrays.equals(out, new int[] {classes})) {
            throw new IllegalArgumentException("model " + name + ": the last layer outputs " + Arrays.toString(out)
                    + ", the head needs " + classes + " scores");
        }
    }

    /** inputs → [Dense(h), ReLU, Dropout(rate)] per hidden width → Dense(classes). */
    public static ModelSpec ffnn(int inputs, int[] hidden, float dropout, int classes, Head head) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int h : hidden) {
            layers.add(Layers.dense(h));
            layers.add(Layers.relu());
            if (dropout > 0) {
                layers.add(Layers.dropout(dropout));
            }
        }
        layers.add(Layers.dense(classes));
        return new ModelSpec("ffnn", new int[] {inputs}, layers, classes, head);
    }

    /**
     * The author's FFNNs: 512-512-512 for the image sets (256 PCA inputs), 128-64-32 for WDBC
     * (30 inputs), ReLU and dropout 0.1 after each hidden layer.
     */
    public static ModelSpec ffnn(DatasetName dataset, int inputs, int classes, Head head) {
        int[] hidden = dataset.images() ? new int[] {512, 512, 512} : new int[] {128, 64, 32};
        return ffnn(inputs, hidden, 0.1f, classes, head);
    }

    /**
     * The author's CNN (Keras), on a (channels, height, width) input:
     * <pre>
     *   Conv 32 3×3 valid, ReLU → Conv 32 3×3 valid, ReLU → MaxPool 2×2 → Dropout 0.25
     *   → Conv 64 3×3 valid, ReLU → Conv 64 3×3 valid, ReLU → MaxPool 2×2 → Dropout 0.25
     *   → Flatten → Dense 256, ReLU → Dropout 0.5 → Dense classes → head
     * </pre>
     * On the paper's input, the 256 PCA components as a 16×16×1 image: 16 → 14 → 12 → 6 → 4 → 2 → 1,
     * Flatten 64, {@value #CNN_PAPER_PARAMETERS} parameters. On 28×28 pixels: 28 → 26 → 24 → 12 → 10 → 8 → 4,
     * Flatten 1,024, {@value #CNN_PIXELS_PARAMETERS} parameters. Inputs smaller than 16×16 leave no output and are rejected.
     */
    public static ModelSpec cnn(int channels, int height, int width, int classes, Head head) {
        List<LayerSpec> layers = List.of(
                Layers.conv2d(32, 3, "valid"), Layers.relu(),
                Layers.conv2d(32, 3, "valid"), Layers.relu(),
                Layers.maxPool2(), Layers.dropout(0.25f),
                Layers.conv2d(64, 3, "valid"), Layers.relu(),
                Layers.conv2d(64, 3, "valid"), Layers.relu(),
                Layers.maxPool2(), Layers.dropout(0.25f),
                Layers.flatten(),
                Layers.dense(256), Layers.relu(), Layers.dropout(0.5f),
                Layers.dense(classes));
        return new ModelSpec("cnn", new int[] {channels, height, width}, layers, classes, head);
    }

    /** Parameters of {@link #cnn} on the paper's 16×16×1 input with 10 classes. */
    public static final int CNN_PAPER_PARAMETERS = 84_202;
    /** Parameters of {@link #cnn} on 28×28×1 pixels with 10 classes. */
    public static final int CNN_PIXELS_PARAMETERS = 329_962;

    /** Parameters the model's layers own (weights and biases), as the slab will hold them. */
    public int parameterCount() {
        ParamLayout layout = new ParamLayout();
        int[] shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).addParameters(layout, "l" + i, shape);
            shape = layers.get(i).outputShape(shape);
        }
        return layout.size();
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Input features per row. */
    public int inputs() {
        return LayerSpec.size(inputShape);
    }

    public String describe() {
        return name + " " + Arrays.toString(inputShape) + " → " + Layers.describe(layers) + " → " + head + " head";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && m.name.equals(name) && Arrays.equals(m.inputShape, inputShape)
                && m.layers.equals(layers) && m.classes == classes && m.head == head;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(inputShape)) * 31 + layers.hashCode() + head.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
