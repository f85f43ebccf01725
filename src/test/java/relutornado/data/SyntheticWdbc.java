package relutornado.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** Test support: a small synthetic data set in sklearn's breast_cancer.csv layout, for tests that run whole experiments. */
public final class SyntheticWdbc {
    private SyntheticWdbc() {
    }

    /**
     * Writes {@code dataDir/wdbc/breast_cancer.csv}: {@code rows} rows of 30 features (seed 1), class 0 every third row,
     * separable on the first ten features. Returns the file.
     */
    public static Path write(Path dataDir, int rows) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("wdbc"));
        StringBuilder s = new StringBuilder(rows + ",30,malignant,benign\n");
        Random rnd = new Random(1);
        for (int r = 0; r < rows; r++) {
            int label = r % 3 == 0 ? 0 : 1;
            for (int f = 0; f < 30; f++) {
                double v = rnd.nextGaussian() + (label == 0 ? 1.0 : -1.0) * (f < 10 ? 1 : 0);
                s.append(String.format(Locale.ROOT, "%.5f,", v));
            }
            s.append(label).append('\n');
        }
        Path file = dir.resolve("breast_cancer.csv");
        Files.writeString(file, s);
        return file;
    }
}
