package relutornado.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import relutornado.data.Dataset;
import relutornado.engine.Engine;
import relutornado.engine.JavaEngine;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;
import relutornado.model.ParamLayout;

/** The NaN/Inf guard of the training loop: loss per batch, parameters once per epoch. */
class NonFiniteGuardTest {

    private static final int ROWS = 100;
    private static final int BATCH = 16;
    private static final int BATCHES = (ROWS + BATCH - 1) / BATCH;

    private static Dataset data(float scale) {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[ROWS * 6];
        int[] y = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            y[i] = i % 2;
            for (int f = 0; f < 6; f++) {
                x[i * 6 + f] = (float) ((r.nextDouble() + y[i]) * scale);
            }
        }
        return new Dataset("toy", x, y, ROWS, 6, List.of("a", "b"));
    }

    private static int[] all() {
        int[] rows = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** A JVM session that counts syncState calls and can hand back a poisoned Adam moment, as a faulty device would. */
    private static final class Counting implements Engine.Session {
        final Engine.Session inner;
        final Network net;
        int syncs;
        int poisonAt = -1;

        Counting(Engine.Session inner, Network net) {
            this.inner = inner;
            this.net = net;
        }

        @Override
        public void run(String phase) {
            inner.run(phase);
        }

        @Override
        public void syncState() {
            syncs++;
            if (poisonAt >= 0) {
                net.m[poisonAt] = Float.NaN;
            }
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private static Network net() {
        Network net = new Network(ModelSpec.ffnn(6, new int[] {8, 8}, 0f, 2, Head.SOFTMAX), BATCH);
        net.initialise(3);
        return net;
    }

    @Test
    void aFiniteEpochFetchesTheParametersOnceNotPerBatch() {
        Network net = net();
        Trainer t = new Trainer(net, new TrainConfig(2, BATCH, 1e-3, 0.9, 0.999, 1e-8, 5));
        try (Engine engine = new JavaEngine(); Counting s = new Counting(engine.open(net.program()), net)) {
            t.trainEpoch(s, data(1f), all(), EpochProgress.NONE);
            t.trainEpoch(s, data(1f), all(), EpochProgress.NONE);
            assertEquals(2, s.syncs, "one parameter check (one copy back on a device) per epoch, for " + BATCHES + " batches each");
        }
    }

    @Test
    void aNonFiniteParameterAtTheEndOfAnEpochNamesItsLayer() {
        Network net = net();
        ParamLayout.Tensor second = net.layout().tensors().get(3); // the second dense layer's bias
        Trainer t = new Trainer(net, new TrainConfig(1, BATCH, 1e-3, 0.9, 0.999, 1e-8, 5));
        try (Engine engine = new JavaEngine(); Counting s = new Counting(engine.open(net.program()), net)) {
            s.poisonAt = second.offset() + 1;
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> t.trainEpoch(s, data(1f), all(), EpochProgress.NONE));
            assertEquals("batch " + BATCHES + ": end of epoch: first non-finite layer " + second.name() + " (Adam m)", e.getMessage());
            assertEquals("training diverged at fold 4, epoch 7, batch " + BATCHES + ": end of epoch: first non-finite layer "
                    + second.name() + " (Adam m) (try a smaller --lr)", e.at(4, 7).getMessage());
            assertEquals("training diverged at final model, epoch 1, batch " + BATCHES + ": end of epoch: first non-finite layer "
                    + second.name() + " (Adam m) (try a smaller --lr)", e.at(0, 1).getMessage());
        }
    }

    @Test
    void anOverflowingBatchStopsAtThatBatchAndNamesTheFirstLayer() {
        Network net = net();
        Trainer t = new Trainer(net, new TrainConfig(1, BATCH, 1e-3, 0.9, 0.999, 1e-8, 5));
        try (Engine engine = new JavaEngine(); Counting s = new Counting(engine.open(net.program()), net)) {
            // inputs near the float limit: the first dense layer's output overflows in the first batch
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> t.trainEpoch(s, data(3e38f), all(), EpochProgress.NONE));
            assertTrue(e.getMessage().startsWith("batch 1: the batch loss is NaN; first non-finite layer "), e.getMessage());
            assertTrue(e.getMessage().contains(net.layout().tensors().get(0).name()) || e.getMessage().contains("(activations)"),
                    e.getMessage());
            assertEquals(1, s.syncs, "the weights are fetched once, to name the layer");
        }
    }
}
