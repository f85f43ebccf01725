package relutornado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static relutornado.data.IdxFiles.gzip;
import static relutornado.data.IdxFiles.images;
import static relutornado.data.IdxFiles.labels;
import static relutornado.data.IdxFiles.write;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {

    @TempDir
    Path tmp;

    /** A tiny MNIST-layout folder: 3 training and 2 test images of 2x2; train files gzipped, test files plain. */
    Path tinyIdx(String dataset) {
        Path dir = tmp.resolve(dataset);
        write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(3, 2, 2, new byte[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, (byte) 255})));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(5, 0, 9)));
        write(dir.resolve("t10k-images-idx3-ubyte"), images(2, 2, 2, new byte[] {9, 9, 9, 9, 8, 8, 8, 8}));
        write(dir.resolve("t10k-labels-idx1-ubyte"), labels(1, 2));
        return dir;
    }

    @Test
    void loadsAllTrainingImagesWithoutThePaperSplit() {
        tinyIdx("mnist");
        DataSources.Split s = DataSources.load(DatasetName.MNIST, tmp, false, 1);
        assertEquals("mnist-train", s.train().name());
        assertEquals(3, s.train().rows());
        assertEquals(4, s.train().features());
        assertArrayEquals(new int[] {5, 0, 9}, s.train().y());
        assertEquals(1f, s.train().x()[11]);
        assertEquals(2, s.test().rows());
        assertEquals(9 / 255f, s.test().x()[0]);
        assertEquals(DataSources.DIGIT_CLASSES, s.train().classNames());
        assertEquals(4, s.files().size());
        assertEquals(tmp.resolve("mnist/train-images-idx3-ubyte.gz"), s.files().get(0).path());
        assertEquals(tmp.resolve("mnist/t10k-labels-idx1-ubyte"), s.files().get(3).path());
        for (DataSources.SourceFile f : s.files()) {
            assertTrue(f.sha256().matches("[0-9a-f]{64}"), f.sha256());
        }
    }

    @Test
    void fashionHasZalandosClassNames() {
        tinyIdx("fashion");
        DataSources.Split s = DataSources.load(DatasetName.FASHION, tmp, false, 1);
        assertEquals("Ankle boot", s.train().classNames().get(9));
        assertEquals("T-shirt/top", s.test().classNames().get(0));
        assertEquals(10, s.test().classes());
    }

    @Test
    void paperSplitNeedsTheFullTrainingSet() {
        tinyIdx("mnist");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataSources.load(DatasetName.MNIST, tmp));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: has 3 training images; the paper's (TensorFlow's) split"
                + " drops the first 5000"), e.getMessage());
    }

    @Test
    void paperSplitDropsTensorFlowsFirst5000ValidationImages() {
        // 60,000 one-pixel images; image i has pixel value i % 256 and label i % 10
        int count = 60_000;
        byte[] pixels = new byte[count];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            pixels[i] = (byte) i;
            y[i] = (i / 7) % 10;
        }
        Path dir = tmp.resolve("mnist");
        write(dir.resolve("train-images-idx3-ubyte"), images(count, 1, 1, pixels));
        write(dir.resolve("train-labels-idx1-ubyte"), labels(y));
        write(dir.resolve("t10k-images-idx3-ubyte"), images(1, 1, 1, new byte[] {7}));
        write(dir.resolve("t10k-labels-idx1-ubyte"), labels(3));
        DataSources.Split paper = DataSources.load(DatasetName.MNIST, tmp, true, 1);
        assertEquals(DataSources.PAPER_TRAIN_ROWS, paper.train().rows());
        // TensorFlow's train split is train_images[5000:]: its first row is image 5000, its last image 59999
        assertEquals((5000 & 0xff) / 255f, paper.train().x()[0]);
        assertEquals((59_999 & 0xff) / 255f, paper.train().x()[DataSources.PAPER_TRAIN_ROWS - 1]);
        assertEquals(y[5000], paper.train().y()[0]);
        assertEquals(y[59_999], paper.train().y()[DataSources.PAPER_TRAIN_ROWS - 1]);
        assertEquals(count, DataSources.load(DatasetName.MNIST, tmp, false, 1).train().rows());
        assertEquals(1, paper.test().rows());
    }

    @Test
    void missingFilesListThePathsTriedAndTheFix() {
        write(tmp.resolve("mnist/train-images-idx3-ubyte.gz"), gzip(images(1, 1, 1, new byte[1])));
        MissingDataException e = assertThrows(MissingDataException.class, () -> DataSources.load(DatasetName.MNIST, tmp));
        String m = e.getMessage();
        assertTrue(m.contains(tmp.resolve("mnist/train-labels-idx1-ubyte") + "[.gz]"), m);
        assertTrue(m.contains(tmp.resolve("mnist/t10k-images-idx3-ubyte") + "[.gz]"), m);
        assertFalse(m.contains("train-images"), "found files are not listed: " + m);
        assertTrue(m.contains("scripts/setup.sh") && m.contains("--data-dir"), m);

        MissingDataException w = assertThrows(MissingDataException.class, () -> DataSources.load(DatasetName.WDBC, tmp.resolve("nowhere")));
        assertTrue(w.getMessage().contains(tmp.resolve("nowhere/wdbc/breast_cancer.csv").toString()), w.getMessage());
        assertTrue(w.getMessage().contains(tmp.resolve("nowhere/wdbc/wdbc.data").toString()), w.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        Path dir = tinyIdx("mnist");
        write(dir.resolve("t10k-labels-idx1-ubyte"), labels(1, 2, 3));
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataSources.load(DatasetName.MNIST, tmp, false, 1));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte has 2 images but"), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte has 3 labels"), e.getMessage());
    }

    @Test
    void sha256MatchesAKnownDigest() {
        Path p = write(tmp.resolve("abc.txt"), "abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", DataSources.sha256(p));
    }

    /** WDBC's class sizes: 212 malignant (0), 357 benign (1), in a mixed order. */
    static Dataset wdbcShaped() {
        int n = 569;
        int[] y = new int[n];
        float[] x = new float[n];
        int malignant = 0;
        for (int r = 0; r < n; r++) {
            // spread the 212 malignant rows through the file, as in the real data
            y[r] = (malignant < 212 && r % 8 < 3) || n - r <= 212 - malignant ? 0 : 1;
            malignant += y[r] == 0 ? 1 : 0;
            x[r] = r;
        }
        return new Dataset("wdbc", x, y, n, 1, WdbcReader.CLASS_NAMES);
    }

    @Test
    void stratifiedSplitGivesSklearnsSizesForWdbc() {
        Dataset all = wdbcShaped();
        assertArrayEquals(new int[] {212, 357}, all.classCounts());
        DataSources.Split s = DataSources.stratifiedSplit(all, 0.3, 10);
        assertEquals(398, s.train().rows());
        assertEquals(171, s.test().rows());
        // sklearn's train_test_split(test_size=0.3, stratify=y) on 212/357: train 148/250, test 64/107
        assertArrayEquals(new int[] {148, 250}, s.train().classCounts());
        assertArrayEquals(new int[] {64, 107}, s.test().classCounts());
        assertEquals("wdbc-train", s.train().name());
        assertEquals("wdbc-test", s.test().name());
    }

    @Test
    void stratifiedSplitIsADeterministicPartition() {
        Dataset all = wdbcShaped();
        DataSources.Split a = DataSources.stratifiedSplit(all, 0.3, 10);
        DataSources.Split b = DataSources.stratifiedSplit(all, 0.3, 10);
        DataSources.Split c = DataSources.stratifiedSplit(all, 0.3, 11);
        assertArrayEquals(a.test().x(), b.test().x(), "same seed, same split");
        assertFalse(Arrays.equals(a.test().x(), c.test().x()), "another seed, another split");
        Set<Float> seen = new HashSet<>();
        for (float v : a.train().x()) {
            assertTrue(seen.add(v));
        }
        for (float v : a.test().x()) {
            assertTrue(seen.add(v), "row " + v + " is in both train and test");
        }
        assertEquals(569, seen.size());
        // rows keep the file's order, and each row keeps its label
        for (int i = 1; i < a.test().rows(); i++) {
            assertTrue(a.test().x()[i - 1] < a.test().x()[i]);
        }
        for (int i = 0; i < a.test().rows(); i++) {
            assertEquals(all.y()[(int) a.test().x()[i]], a.test().y()[i]);
        }
    }

    @Test
    void stratifiedSplitSizesFollowSklearnsCeilingForTheTestSet() {
        // n_test = ceil(0.25 * 10) = 3, n_train = 7; classes 4/6 -> train 2.8/4.2 -> 2/4 + 1 to class 0 -> 3/4
        Dataset d = new Dataset("ten", new float[10], new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, 10, 1, List.of("x", "y"));
        DataSources.Split s = DataSources.stratifiedSplit(d, 0.25, 3);
        assertArrayEquals(new int[] {3, 4}, s.train().classCounts());
        assertArrayEquals(new int[] {1, 2}, s.test().classCounts());
        assertTrue(s.files().isEmpty(), "a split made in memory read no files");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSources.stratifiedSplit(d, 1.0, 3));
        assertTrue(e.getMessage().contains("testFraction must be in (0, 1), got 1.0"), e.getMessage());
    }

    @Test
    void wdbcLoadsThroughDataSourcesWithItsFile() {
        write(tmp.resolve("wdbc/breast_cancer.csv"),
                WdbcReaderTest.sklearn(new int[] {0, 1, 1, 0, 1, 1, 1, 0, 1, 1}).getBytes(StandardCharsets.UTF_8));
        DataSources.Split s = DataSources.load(DatasetName.WDBC, tmp);
        assertEquals(7, s.train().rows()); // n_test = ceil(0.3 * 10) = 3
        assertEquals(3, s.test().rows());
        assertEquals(List.of(tmp.resolve("wdbc/breast_cancer.csv")), s.files().stream().map(DataSources.SourceFile::path).toList());
    }
}
