package relutornado.model;

import java.util.Arrays;

/**
 * A feed-forward network: inputs → [Dense(h), ReLU, Dropout(rate)] per hidden width → Dense(classes) → head.
 *
 * @param name    model name for reports (ffnn)
 * @param inputs  input features
 * @param hidden  hidden layer widths
 * @param dropout dropout rate after each hidden ReLU, in [0, 1)
 * @param classes output units
 * @param head    classifier head
 */
public record ModelSpec(String name, int inputs, int[] hidden, float dropout, int classes, Head head) {

    public ModelSpec {
        if (inputs < 1) {
            throw new IllegalArgumentException("model " + name + ": inputs must be >= 1, got " + inputs);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("model " + name + ": needs >= 2 classes, got " + classes);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("model " + name + ": dropout must be in [0, 1), got " + dropout);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("model " + name + ": hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        hidden = hidden.clone();
    }

    /**
     * The author's FFNNs: 512-512-512 for the image sets (256 PCA inputs), 128-64-32 for WDBC
     * (30 inputs), ReLU and dropout 0.1 after each hidden layer.
     */
    public static ModelSpec ffnn(String dataset, int inputs, int classes, Head head) {
        int[] hidden = dataset.equals("wdbc") ? new int[] {128, 64, 32} : new int[] {512, 512, 512};
        return new ModelSpec("ffnn", inputs, hidden, 0.1f, classes, head);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Layer widths from input to output, e.g. [256, 512, 512, 512, 10]. */
    public int[] widths() {
        int[] w = new int[hidden.length + 2];
        w[0] = inputs;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = classes;
        return w;
    }

    public String describe() {
        return name + " " + Arrays.toString(widths()) + " dropout " + dropout + " head " + head.flag();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && m.name.equals(name) && m.inputs == inputs && Arrays.equals(m.hidden, hidden)
                && m.dropout == dropout && m.classes == classes && m.head == head;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(hidden) + inputs + classes + head.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
