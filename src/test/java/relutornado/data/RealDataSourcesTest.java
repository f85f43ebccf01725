package relutornado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Checks the real data sets that scripts/setup.sh installs; each test skips, saying why, when its
 * data is absent. The pom sets relutornado.dataDir to the project's data/ folder.
 */
class RealDataSourcesTest {

    static final Path DATA = Path.of(System.getProperty("relutornado.dataDir", "data"));

    @Test
    void wdbcHas569RowsOf30FeaturesAnd212Malignant() {
        Path csv = DATA.resolve("wdbc/breast_cancer.csv");
        assumeTrue(Files.isRegularFile(csv), "no " + csv + ": run scripts/setup.sh");
        Dataset all = WdbcReader.read(csv);
        assertEquals(569, all.rows());
        assertEquals(30, all.features());
        assertArrayEquals(new int[] {212, 357}, all.classCounts());
        // first row of the UCI file (id 842302, M): radius 17.99, texture 10.38, ... worst fractal dimension 0.1189
        assertEquals(17.99f, all.x()[0]);
        assertEquals(0.1189f, all.x()[29]);
        assertEquals(WdbcReader.MALIGNANT, all.y()[0]);

        DataSources.Split s = DataSources.load(DatasetName.WDBC, DATA);
        assertEquals(398, s.train().rows());
        assertEquals(171, s.test().rows());
        assertArrayEquals(new int[] {64, 107}, s.test().classCounts());
    }

    @Test
    void mnistHasTensorFlows55000TrainingAnd10000TestImages() {
        // label counts of TensorFlow's mnist.train (train_images[5000:]); the first 55,000 would have 6,212 ones
        checkImages(DatasetName.MNIST, new int[] {5444, 6179, 5470, 5638, 5307, 4987, 5417, 5715, 5389, 5454},
                new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});
    }

    @Test
    void fashionHasTensorFlows55000TrainingAnd10000TestImages() {
        checkImages(DatasetName.FASHION, new int[] {5543, 5444, 5496, 5499, 5512, 5507, 5507, 5488, 5510, 5494},
                new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000});
    }

    private static void checkImages(DatasetName dataset, int[] trainCounts, int[] testCounts) {
        assumeTrue(Files.isDirectory(DATA.resolve(dataset.toString())), "no " + DATA.resolve(dataset.toString()) + ": run scripts/setup.sh");
        long t0 = System.nanoTime();
        DataSources.Split paper = DataSources.load(dataset, DATA, true, DataSources.DEFAULT_SEED);
        System.out.printf("%s: loaded and hashed in %.2f s: %s, %s%n", dataset, (System.nanoTime() - t0) / 1e9,
                paper.train(), paper.test());
        assertEquals(55_000, paper.train().rows());
        assertEquals(10_000, paper.test().rows());
        assertEquals(784, paper.train().features());
        assertEquals(4, paper.files().size());
        assertArrayEquals(trainCounts, paper.train().classCounts());
        assertArrayEquals(testCounts, paper.test().classCounts());
        assertEquals(60_000, DataSources.load(dataset, DATA, false, 0).train().rows());
    }
}
