package relutornado.data;

import java.util.Locale;

/** The data sets ({@code --dataset}); {@link #toString()} is the flag value picocli matches. */
public enum DatasetName {
    MNIST("MNIST"),
    FASHION("Fashion-MNIST"),
    WDBC("WDBC");

    private final String title;

    DatasetName(String title) {
        this.title = title;
    }

    /** MNIST and Fashion-MNIST are 28×28 images; WDBC has 30 tabular features. */
    public boolean images() {
        return this != WDBC;
    }

    /** The name for tables: MNIST, Fashion-MNIST, WDBC. */
    public String title() {
        return title;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
