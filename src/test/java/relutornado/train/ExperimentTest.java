package relutornado.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.cv.Protocol;
import relutornado.engine.DeviceKernels;
import relutornado.data.DatasetName;
import relutornado.data.SyntheticWdbc;
import relutornado.engine.EngineOptions;
import relutornado.model.Head;
import relutornado.model.ModelKind;
import relutornado.preprocess.Input;
import relutornado.report.EpochTime;
import relutornado.report.RunReport;

/** End to end on a small synthetic WDBC-layout file: outputs, determinism, both protocols. */
class ExperimentTest {
    @TempDir
    Path tmp;

    /** A separable two-class problem in sklearn's breast_cancer.csv layout (30 features). */
    static Path syntheticWdbc(Path dataDir, int rows) throws IOException {
        return SyntheticWdbc.write(dataDir, rows);
    }

    static ExperimentConfig config(Path dataDir, Path out, Protocol protocol, String engine, int epochs) {
        return config(dataDir, out, protocol, engine, epochs, 10);
    }

    static ExperimentConfig config(Path dataDir, Path out, Protocol protocol, String engine, int epochs, long seed) {
        // a larger step than the paper's so that a few epochs on 84 rows learn the synthetic problem
        TrainConfig train = new TrainConfig(epochs, 16, 1e-2, TrainConfig.BETA1, TrainConfig.BETA2, TrainConfig.EPSILON, seed);
        return new ExperimentConfig(DatasetName.WDBC, ModelKind.FFNN, Head.SOFTMAX, protocol, 3, train, 0, true, 0, true,
                dataDir, out, new EngineOptions(engine, null, 2, false, "vector", DeviceKernels.TUNED), Input.PCA);
    }

    @Test
    void sameSeedGivesIdenticalReportsAndTheReportsAreComplete() throws IOException {
        syntheticWdbc(tmp, 120);
        RunReport.Results a = new Experiment(config(tmp, tmp.resolve("a"), Protocol.SOUND, "java", 5), false).run().results();
        RunReport.Results b = new Experiment(config(tmp, tmp.resolve("b"), Protocol.SOUND, "java-parallel", 5), false).run().results();
        for (String f : List.of("metrics.csv", "confusion.csv", "predictions.csv")) {
            assertEquals(Files.readString(tmp.resolve("a").resolve(f)), Files.readString(tmp.resolve("b").resolve(f)), f);
        }
        for (String f : List.of("folds.csv", "run.json", "summary.md", "result.csv", "accuracy.png", "loss.png")) {
            assertTrue(Files.size(tmp.resolve("a").resolve(f)) > 0, f);
        }
        // 3 folds × 5 epochs + the final model's 5 epochs, plus a header
        assertEquals(1 + 3 * 5 + 5, Files.readAllLines(tmp.resolve("a").resolve("folds.csv")).size());
        assertEquals(3, a.foldValAccuracy().length);
        assertTrue(a.testAccuracy() > 0.8, "separable synthetic data: test accuracy " + a.testAccuracy());
        assertEquals(a.testAccuracy(), b.testAccuracy());
        // 36 test rows (30 % of 120)
        assertEquals(1 + 36, Files.readAllLines(tmp.resolve("a").resolve("predictions.csv")).size());
        String json = Files.readString(tmp.resolve("a").resolve("run.json"));
        assertTrue(json.contains("\"protocol\": \"sound\"") && json.contains("sha256") && json.contains("\"seed\": 10"), json);
    }

    @Test
    void everyEpochsWallTimeSplitsIntoPartsThatSumToIt() throws IOException {
        syntheticWdbc(tmp, 120);
        new Experiment(config(tmp, tmp.resolve("t"), Protocol.SOUND, "java", 3), false).run();
        List<RunReport.EpochTiming> epochs = RunReport.read(tmp.resolve("t")).timings().epochs();
        assertEquals(3 * 3 + 3, epochs.size(), "every epoch of the 3 folds and the final model");
        for (RunReport.EpochTiming e : epochs) {
            EpochTime t = e.time();
            double[] parts = {t.step(), t.batch(), t.eval(), t.bookkeeping(), t.checkpoint(), t.other()};
            double sum = 0;
            for (double p : parts) {
                assertTrue(p >= 0, e.toString());
                sum += p;
            }
            assertEquals(t.wall(), sum, 1e-9, "the parts sum to the wall time: " + e);
            assertTrue(t.step() > 0 && t.batch() > 0 && t.bookkeeping() > 0, e.toString());
            // validation rows in the CV folds only; a checkpoint after every epoch but a unit's last
            assertEquals(e.fold() > 0, t.eval() > 0, e.toString());
            assertEquals(e.epoch() < 3, t.checkpoint() > 0, e.toString());
            assertTrue(t.wall() <= RunReport.read(tmp.resolve("t")).timings().totalSeconds(), e.toString());
        }
        String header = Files.readAllLines(tmp.resolve("t").resolve("folds.csv")).get(0);
        assertTrue(header.contains("epoch_wall_seconds,step_seconds,batch_seconds,eval_seconds,bookkeeping_seconds,"
                + "checkpoint_seconds,other_seconds,step_samples_per_s"), header);
    }

    @Test
    void paperProtocolCarriesOneModelAcrossFolds() throws IOException {
        syntheticWdbc(tmp, 120);
        RunReport.Results r = new Experiment(config(tmp, tmp.resolve("p"), Protocol.PAPER, "java", 4), false).run().results();
        List<String> lines = Files.readAllLines(tmp.resolve("p").resolve("folds.csv"));
        assertEquals(1 + 3 * 4, lines.size(), "no final-model rows under the paper protocol");
        assertTrue(r.testAccuracy() > 0.8, "test accuracy " + r.testAccuracy());
    }

    @Test
    void anotherSeedGivesAnotherRun() throws IOException {
        syntheticWdbc(tmp, 120);
        new Experiment(config(tmp, tmp.resolve("a"), Protocol.SOUND, "java", 1, 10), false).run();
        new Experiment(config(tmp, tmp.resolve("c"), Protocol.SOUND, "java", 1, 11), false).run();
        // the seed draws the 70/30 split, the folds, the initial weights, the batch order and the dropout masks
        assertNotEquals(Files.readString(tmp.resolve("a").resolve("folds.csv")), Files.readString(tmp.resolve("c").resolve("folds.csv")));
        assertNotEquals(Files.readString(tmp.resolve("a").resolve("predictions.csv")),
                Files.readString(tmp.resolve("c").resolve("predictions.csv")));
    }

    @Test
    void foldsCsvCarriesThroughputAndTheDyingReluColumnsAndRunJsonTheirFigures() throws IOException {
        syntheticWdbc(tmp, 120);
        ExperimentConfig relu = new ExperimentConfig(DatasetName.WDBC, ModelKind.FFNN, Head.RELU, Protocol.PAPER, 3,
                TrainConfig.paper(2, 16, 3), 0, true, 0, true, tmp, tmp.resolve("r"), new EngineOptions("java", null, 1, false, "vector", DeviceKernels.TUNED), Input.PCA);
        new Experiment(relu, false).run();
        List<String> lines = Files.readAllLines(tmp.resolve("r").resolve("folds.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (String c : List.of("samples_per_s", "dead_units_relu1", "sparsity_relu1", "dead_units_relu4", "dead_units_relu7",
                "sparsity_relu7", "dead_classes")) {
            assertTrue(header.contains(c), c + " in " + header);
        }
        String[] row = lines.get(1).split(",", -1);
        double sparsity = Double.parseDouble(row[header.indexOf("sparsity_relu1")]);
        assertTrue(sparsity > 0 && sparsity < 1, "ReLU zeros some but not all activations: " + sparsity);
        assertTrue(Double.parseDouble(row[header.indexOf("samples_per_s")]) > 0);
        String json = Files.readString(tmp.resolve("r").resolve("run.json"));
        assertTrue(json.contains("\"dying_relu\"") && json.contains("\"class_deaths\"") && json.contains("\"sparsity_last_epoch\""), json);
        assertTrue(Files.readString(tmp.resolve("r").resolve("summary.md")).contains("## Dying ReLU"));
    }

    @Test
    void aClassDeathIsWarnedOnceWithClassFoldAndEpochAndAgainOnlyAfterItRevived() {
        ClassDeaths e = new ClassDeaths();
        List<String> names = List.of("malignant", "benign");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            e.note(head(7, 0), names, 2, 1, 40); // class 1 dead
            e.note(head(9, 0), names, 2, 2, 40); // still dead: no new line
            e.note(head(9, 5), names, 2, 3, 40); // alive
            e.note(head(0, 4), names, 2, 4, 40); // class 0 dies (class 1 lives)
        } finally {
            System.setErr(old);
        }
        List<String> warnings = err.toString().lines().toList();
        assertEquals(List.of(
                "warning: class 1 (benign) died in fold 2 epoch 1: its ReLU output is 0 for all 40 validation rows",
                "warning: class 0 (malignant) died in fold 2 epoch 4: its ReLU output is 0 for all 40 validation rows"), warnings);
        assertEquals(List.of(new RunReport.ClassDeath("benign", 1, 2, 1), new RunReport.ClassDeath("malignant", 0, 2, 4)), e.deaths());
    }

    /** Head counts of a two-class ReLU head: live entries of class 0 and class 1 (0 = dead). */
    private static UnitActivity head(long class0, long class1) {
        return new UnitActivity(40, List.of(), new UnitActivity.Layer("head", 1, new long[] {class0, class1}));
    }
}
