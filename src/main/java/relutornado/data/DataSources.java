package relutornado.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import relutornado.cv.StratifiedKFold;

/**
 * Finds the data sets under a data folder and loads the train/test split the paper used.
 *
 * <pre>
 *   DIR/mnist/   train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each optionally .gz)
 *   DIR/fashion/ the same four names (Fashion-MNIST)
 *   DIR/wdbc/    breast_cancer.csv (sklearn) or wdbc.data (UCI)
 * </pre>
 * {@code scripts/setup.sh} fills this layout. Each file read is hashed (SHA-256) for the run report.
 */
public final class DataSources {

    /** Where the CLI looks by default (relative to the working directory, normally the project root). */
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    /**
     * The author loaded MNIST and Fashion-MNIST with TensorFlow's
     * {@code input_data.read_data_sets(dir, one_hot=True)} and trained on {@code .train}. That function
     * (tensorflow/contrib/learn/python/learn/datasets/mnist.py) keeps the FIRST 5,000 training images
     * as its validation set ({@code train_images[:validation_size]}, unused by the author) and returns
     * the LAST 55,000 ({@code train_images[validation_size:]}) as the train split. We do the same.
     */
    public static final int TF_VALIDATION_ROWS = 5_000;
    /** Rows of TensorFlow's MNIST train split: 60,000 - {@link #TF_VALIDATION_ROWS}. */
    public static final int PAPER_TRAIN_ROWS = 55_000;
    /** WDBC: a stratified 70/30 split, as sklearn's train_test_split(test_size=0.3, stratify=y): 398 / 171 rows. */
    public static final double WDBC_TEST_FRACTION = 0.3;
    /** The seed of the WDBC split when none is given; the CLI's default --seed. */
    public static final long DEFAULT_SEED = 10;

    public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Zalando's label names, in label order (github.com/zalandoresearch/fashion-mnist). */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> WDBC_FILES = List.of("breast_cancer.csv", "wdbc.data");

    private DataSources() {
    }

    /** A file that was read, with its SHA-256 (hex), for the run report. */
    public record SourceFile(Path path, String sha256) {
    }

    /** Train and test sets and the files they came from. */
    public record Split(Dataset train, Dataset test, List<SourceFile> files) {
        public Split {
            if (train.features() != test.features() || !train.classNames().equals(test.classNames())) {
                throw new IllegalArgumentException("split: train (" + train + ") and test (" + test
                        + ") differ in features or classes");
            }
            files = List.copyOf(files);
        }
    }

    /** The paper's split: TensorFlow's 55,000-image train split for MNIST/Fashion-MNIST, WDBC split with {@link #DEFAULT_SEED}. */
    public static Split load(DatasetName dataset, Path dataDir) {
        return load(dataset, dataDir, true, DEFAULT_SEED);
    }

    /**
     * @param dataset    the data set
     * @param dataDir    the folder holding mnist/, fashion/, wdbc/ (null: {@link #DEFAULT_DATA_DIR})
     * @param paperSplit image sets: true = TensorFlow's train split, the training images after the first
     *                   {@value #TF_VALIDATION_ROWS} (55,000 of 60,000); false = all of them. The test set is the
     *                   10,000 t10k images either way. Ignored for WDBC.
     * @param seed       seed of WDBC's stratified split; unused by the image sets, whose split is fixed
     */
    public static Split load(DatasetName dataset, Path dataDir, boolean paperSplit, long seed) {
        Path dir = (dataDir == null ? DEFAULT_DATA_DIR : dataDir).resolve(dataset.toString());
        return switch (dataset) {
            case MNIST -> loadIdx(dataset, dir, DIGIT_CLASSES, paperSplit);
            case FASHION -> loadIdx(dataset, dir, FASHION_CLASSES, paperSplit);
            case WDBC -> loadWdbc(dir, seed);
        };
    }

    private static Split loadIdx(DatasetName name, Path dir, List<String> classNames, boolean paperSplit) {
        String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
        Path[] paths = new Path[names.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            paths[i] = find(dir, names[i], names[i] + ".gz");
            if (paths[i] == null) {
                missing.add(dir.resolve(names[i]) + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw missing(name, missing);
        }
        Dataset train = readIdxPair(name + "-train", paths[0], paths[1], classNames);
        Dataset test = readIdxPair(name + "-test", paths[2], paths[3], classNames);
        if (paperSplit) {
            if (train.rows() <= TF_VALIDATION_ROWS) {
                throw DataFormatException.of(paths[0], "has " + train.rows() + " training images; the paper's (TensorFlow's) split"
                        + " drops the first " + TF_VALIDATION_ROWS + " of 60,000 as validation (use all images with paperSplit=false)");
            }
            train = rowsFrom(train, TF_VALIDATION_ROWS);
        }
        List<SourceFile> files = new ArrayList<>();
        for (Path p : paths) {
            files.add(new SourceFile(p, sha256(p)));
        }
        return new Split(train, test, files);
    }

    private static Dataset readIdxPair(String name, Path imagesFile, Path labelsFile, List<String> classNames) {
        IdxReader.IdxImages images = IdxReader.readImages(imagesFile);
        int[] labels = IdxReader.readLabels(labelsFile, classNames.size());
        if (labels.length != images.count()) {
            throw new DataFormatException(imagesFile + " has " + images.count() + " images but " + labelsFile + " has "
                    + labels.length + " labels; the two files must belong together");
        }
        return new Dataset(name, images.pixels(), labels, images.count(), images.pixelsPerImage(), classNames);
    }

    private static Split loadWdbc(Path dir, long seed) {
        Path file = find(dir, WDBC_FILES.toArray(String[]::new));
        if (file == null) {
            throw missing(DatasetName.WDBC, WDBC_FILES.stream().map(f -> dir.resolve(f).toString()).toList());
        }
        Split split = stratifiedSplit(WdbcReader.read(file), WDBC_TEST_FRACTION, seed);
        return new Split(split.train(), split.test(), List.of(new SourceFile(file, sha256(file))));
    }

    /**
     * A stratified train/test split as sklearn's {@code train_test_split(test_size=testFraction, stratify=y)}:
     * n_test = ceil(testFraction * n), classes apportioned by {@link StratifiedKFold#holdout}. Both sets keep
     * the original row order. For WDBC (212 malignant, 357 benign, 0.3): train 148 + 250 = 398, test 64 + 107 = 171.
     */
    public static Split stratifiedSplit(Dataset all, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        int n = all.rows();
        int nTest = (int) Math.ceil(testFraction * n);
        if (nTest >= n) {
            throw new IllegalArgumentException("cannot split " + n + " rows of " + all.name() + " with test fraction "
                    + testFraction + ": train " + (n - nTest) + ", test " + nTest);
        }
        StratifiedKFold.Fold f = StratifiedKFold.holdout(all.y(), all.classes(), nTest, seed);
        return new Split(all.subset(f.train()).withName(all.name() + "-train"),
                all.subset(f.validation()).withName(all.name() + "-test"), List.of());
    }

    /** Rows first..rows-1 of d, copied. */
    private static Dataset rowsFrom(Dataset d, int first) {
        int rows = d.rows() - first;
        int f = d.features();
        return new Dataset(d.name(), Arrays.copyOfRange(d.x(), first * f, d.rows() * f), Arrays.copyOfRange(d.y(), first, d.rows()),
                rows, f, d.classNames());
    }

    /** The first candidate name that exists as a regular file in dir, or null. */
    private static Path find(Path dir, String... candidates) {
        for (String c : candidates) {
            Path p = dir.resolve(c);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static MissingDataException missing(DatasetName dataset, List<String> tried) {
        return new MissingDataException("data set '" + dataset + "' not found; looked for:\n  " + String.join("\n  ", tried)
                + "\nRun scripts/setup.sh to put the data sets in data/, or pass --data-dir DIR (a folder with mnist/, fashion/, wdbc/).");
    }

    /** SHA-256 of a file's bytes as stored (of the .gz, not its content), lower-case hex. */
    public static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to hash it", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
