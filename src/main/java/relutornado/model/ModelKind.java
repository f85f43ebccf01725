package relutornado.model;

import java.util.Locale;

/** The author's models ({@code --model}); {@link #toString()} is the flag value picocli matches. */
public enum ModelKind {
    /** Dense layers with ReLU and dropout: {@link ModelSpec#ffnn(relutornado.data.DatasetName, int, int, Head)}. */
    FFNN,
    /** Two conv blocks and a dense block, image sets only: {@link ModelSpec#cnn}. */
    CNN;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
