package relutornado.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import relutornado.data.DatasetName;
import relutornado.engine.EngineOptions;
import relutornado.model.Head;
import relutornado.model.ModelKind;

/**
 * The Vector API kernels of java-parallel sum in another order than the sequential engine, so their
 * runs are not bit-identical; with the same seed the trained models must still score the same test
 * accuracy to within half a point (real data; skips when scripts/setup.sh has not run).
 */
class EngineAccuracyTest {
    static final double MAX_POINTS = 0.5;

    @TempDir
    Path tmp;

    double testAccuracy(DatasetName dataset, Head head, int limit, int epochs, String engine) {
        ExperimentConfig cfg = new ExperimentConfig(dataset, ModelKind.FFNN, head, Protocol.PAPER, 1, TrainConfig.paper(epochs, 256, 10), limit,
                true, dataset.images() ? 256 : 0, true, RealDataTest.DATA, tmp.resolve(dataset + "-" + head + "-" + engine),
                new EngineOptions(engine, null, engine.equals("java") ? 1 : 2, false, "vector"), Input.PCA);
        return new Experiment(cfg, false).run().results().testAccuracy();
    }

    @ParameterizedTest(name = "{0} {1}, {2} rows, {3} epochs")
    @CsvSource({"MNIST, SOFTMAX, 5000, 2", "WDBC, SOFTMAX, 0, 32", "WDBC, RELU, 0, 32"})
    void vectorKernelsScoreTheSequentialAccuracy(DatasetName dataset, Head head, int limit, int epochs) {
        assumeTrue(Files.isDirectory(RealDataTest.DATA.resolve(dataset.toString())), "no " + dataset + " data: run scripts/setup.sh");
        double sequential = testAccuracy(dataset, head, limit, epochs, "java");
        double vector = testAccuracy(dataset, head, limit, epochs, "java-parallel");
        double points = 100 * Math.abs(sequential - vector);
        System.out.printf("%s FFNN-%s: test accuracy java %.2f %%, java-parallel (vector) %.2f %%: %.2f points (max %.1f)%n",
                dataset, head, 100 * sequential, 100 * vector, points, MAX_POINTS);
        assertTrue(points <= MAX_POINTS, dataset + " " + head + ": accuracies differ by " + points + " points");
    }
}
