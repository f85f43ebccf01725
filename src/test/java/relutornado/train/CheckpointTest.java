package relutornado.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.engine.DeviceKernels;
import relutornado.data.Dataset;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;
import relutornado.report.EpochRow;
import relutornado.report.RunReport;

/** Checkpoint files round-trip bit for bit; a restored trainer continues exactly where the original was. */
class CheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void aNegativeCheckpointIntervalNamesTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Checkpoints(-1, false));
        assertTrue(e.getMessage().startsWith("--checkpoint-every must be >= 0"), e.getMessage());
        assertEquals(0, new Checkpoints(0, true).every(), "0: after folds only");
    }

    @Test
    void roundTripKeepsEveryBit() {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("epoch_seconds", 0.125);
        extra.put("val_seconds", Double.NaN);
        extra.put("kernel_ns", null);
        List<EpochRow> rows = List.of(new EpochRow(1, 1, 0.6931471805599453, 0.5, 0.7, 0.25, 3, extra),
                new EpochRow(0, 2, -0.0, 1.0, Double.NaN, Double.NaN, 0, Map.of()));
        float[] params = {1.5f, -0.0f, Float.MIN_VALUE, Float.NaN, 3.4028235e38f};
        Checkpoint c = new Checkpoint("dataset=wdbc seed=3", 2, 5, 77, new int[] {300, 300, 301}, new double[] {0.9, Double.NaN},
                rows, params, new float[] {1, 2, 3, 4, 5}, new float[] {1e-30f, 0, 0, 0, 7}, new int[] {1, 3},
                List.of(new RunReport.ClassDeath("b", 1, 2, 4), new RunReport.ClassDeath("d", 3, 2, 5)));
        c.write(tmp);
        assertFalse(Files.exists(tmp.resolve(Checkpoint.FILE + ".tmp")), "the temporary file is renamed");
        Checkpoint r = Checkpoint.read(tmp);
        assertEquals(c.settings(), r.settings());
        assertEquals(2, r.unit());
        assertEquals(5, r.epochsDone());
        assertEquals(77, r.step());
        assertArrayEquals(c.shuffleHistory(), r.shuffleHistory());
        assertArrayEquals(c.foldAccuracies(), r.foldAccuracies());
        assertEquals(rows, r.rows());
        assertTrue(r.rows().get(0).extra().containsKey("kernel_ns"));
        assertNull(r.rows().get(0).extra().get("kernel_ns"));
        for (int i = 0; i < params.length; i++) {
            assertEquals(Float.floatToRawIntBits(params[i]), Float.floatToRawIntBits(r.params()[i]), "param " + i);
        }
        assertArrayEquals(c.m(), r.m());
        assertArrayEquals(c.v(), r.v());
        assertArrayEquals(c.deadNow(), r.deadNow());
        assertEquals(c.deaths(), r.deaths());
        // a second write replaces the first
        new Checkpoint("x", 3, 0, 1, new int[0], new double[0], List.of(), new float[1], new float[1], new float[1], new int[0], List.of()).write(tmp);
        assertEquals(3, Checkpoint.read(tmp).unit());
        Checkpoint.delete(tmp);
        assertNull(Checkpoint.read(tmp), "no checkpoint, no state");
    }

    @Test
    void truncatedOrForeignFilesAreClearErrors() throws IOException {
        new Checkpoint("s", 0, 1, 1, new int[] {4}, new double[] {Double.NaN}, List.of(), new float[8], new float[8], new float[8],
                new int[0], List.of()).write(tmp);
        byte[] all = Files.readAllBytes(tmp.resolve(Checkpoint.FILE));
        Files.write(tmp.resolve(Checkpoint.FILE), java.util.Arrays.copyOf(all, all.length - 10));
        assertTrue(assertThrows(IllegalStateException.class, () -> Checkpoint.read(tmp)).getMessage().contains("truncated"));
        Files.writeString(tmp.resolve(Checkpoint.FILE), "hello, world");
        assertTrue(assertThrows(IllegalStateException.class, () -> Checkpoint.read(tmp)).getMessage().contains("not a relu-tornado"));
    }

    /** Three epochs straight, or one epoch, a restore into a new network and trainer, and two more: the same bits. */
    @Test
    void restoredTrainerContinuesBitForBit() {
        int rowsN = 50;
        float[] x = new float[rowsN * 30];
        int[] y = new int[rowsN];
        java.util.Random rnd = new java.util.Random(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < rowsN; i++) {
            y[i] = i % 2;
            x[i * 30] += y[i];
        }
        Dataset data = new Dataset("toy", x, y, rowsN, 30, List.of("a", "b"));
        int[] rows = new int[rowsN];
        for (int i = 0; i < rowsN; i++) {
            rows[i] = i;
        }
        TrainConfig cfg = new TrainConfig(3, 8, 1e-2, TrainConfig.BETA1, TrainConfig.BETA2, TrainConfig.EPSILON, 5);
        ModelSpec spec = ModelSpec.ffnn(relutornado.data.DatasetName.WDBC, 30, 2, Head.RELU);
        List<Double> straight = new ArrayList<>();
        Network a = new Network(spec, 8);
        a.initialise(5);
        Trainer ta = new Trainer(a, cfg);
        try (Engine e = Engines.create(new EngineOptions("java", null, 1, false, "vector", DeviceKernels.TUNED)); Engine.Session s = e.open(a.program())) {
            for (int ep = 0; ep < 3; ep++) {
                straight.add(ta.trainEpoch(s, data, rows, EpochProgress.NONE).loss());
            }
            s.syncState();
        }
        Network b = new Network(spec, 8);
        b.initialise(5);
        Trainer tb = new Trainer(b, cfg);
        List<Double> resumed = new ArrayList<>();
        Checkpoint c;
        try (Engine e = Engines.create(new EngineOptions("java", null, 1, false, "vector", DeviceKernels.TUNED)); Engine.Session s = e.open(b.program())) {
            resumed.add(tb.trainEpoch(s, data, rows, EpochProgress.NONE).loss());
            s.syncState();
            c = new Checkpoint("s", 0, 1, tb.step(), tb.shuffleHistory(), new double[0], List.of(), b.params.clone(), b.m.clone(),
                    b.v.clone(), new int[0], List.of());
        }
        c.write(tmp);
        c = Checkpoint.read(tmp);
        Network n = new Network(spec, 8);
        n.initialise(99);
        System.arraycopy(c.params(), 0, n.params, 0, n.params.length);
        System.arraycopy(c.m(), 0, n.m, 0, n.m.length);
        System.arraycopy(c.v(), 0, n.v, 0, n.v.length);
        Trainer tn = new Trainer(n, cfg);
        tn.restore(c.step(), c.shuffleHistory());
        try (Engine e = Engines.create(new EngineOptions("java", null, 1, false, "vector", DeviceKernels.TUNED)); Engine.Session s = e.open(n.program())) {
            resumed.add(tn.trainEpoch(s, data, rows, EpochProgress.NONE).loss());
            resumed.add(tn.trainEpoch(s, data, rows, EpochProgress.NONE).loss());
            s.syncState();
        }
        assertEquals(straight, resumed);
        assertArrayEquals(a.params, n.params);
        assertArrayEquals(a.m, n.m);
        assertArrayEquals(a.v, n.v);
        assertEquals(ta.step(), tn.step());
        assertArrayEquals(ta.shuffleHistory(), tn.shuffleHistory());
    }
}
