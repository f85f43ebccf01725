package relutornado.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import relutornado.data.Dataset;
import relutornado.engine.Engine;
import relutornado.engine.JavaEngine;
import relutornado.engine.ParallelJavaEngine;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;
import relutornado.model.ParamLayout;

/**
 * The dying-ReLU analysis on a tiny FFNN whose dead units and dead class are made by hand: biases of -100
 * (dead) and +100 (alive) with zero weights where a row's input must not matter. Every JVM engine counts
 * on its own kernels (only the per-unit counts come back).
 */
class UnitActivityTest {

    static Engine engine(String name) {
        return switch (name) {
            case "java" -> new JavaEngine();
            case "java-parallel-plain" -> new ParallelJavaEngine(3, false);
            case "java-parallel-vector" -> new ParallelJavaEngine(2, true);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static void set(Network net, String tensor, float... values) {
        ParamLayout.Tensor t = net.layout().tensors().stream().filter(x -> x.name().equals(tensor)).findFirst().orElseThrow();
        if (values.length == 1) {
            java.util.Arrays.fill(net.params, t.offset(), t.offset() + t.size(), values[0]);
        } else {
            System.arraycopy(values, 0, net.params, t.offset(), t.size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "java-parallel-plain", "java-parallel-vector"})
    void deadUnitsSparsityAndADeadClassMadeByHand(String engineName) {
        // 6 → dense0(8) relu1 dropout2 → dense3(5) relu4 dropout5 → dense6(3) → ReLU head; batch 4 over 10 rows
        Network net = new Network(ModelSpec.ffnn(6, new int[] {8, 5}, 0.1f, 3, Head.RELU), 4);
        net.initialise(1);
        // layer 1: unit 2 dead (bias -100 beats any |x·W| of Glorot weights on inputs in [-1, 1]), the rest alive
        set(net, "dense0.b", 100, 100, -100, 100, 100, 100, 100, 100);
        // layer 2: zero weights, so each unit outputs its bias: units 0 and 3 dead
        set(net, "dense3.W", 0);
        set(net, "dense3.b", -100, 1, 1, -100, 1);
        // head: zero weights, class 1 scores -5 on every row: dead; classes 0 and 2 live
        set(net, "dense6.W", 0);
        set(net, "dense6.b", 1, -5, 2);
        Random rnd = new Random(2);
        int rows = 10;
        float[] x = new float[rows * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        Dataset data = new Dataset("tiny", x, new int[rows], rows, 6, List.of("a", "b", "c"));
        int[] all = java.util.stream.IntStream.range(0, rows).toArray();
        Trainer trainer = new Trainer(net, TrainConfig.paper(1, 4, 1));
        UnitActivity a;
        try (Engine engine = engine(engineName); Engine.Session s = engine.open(net.program())) {
            a = trainer.evaluate(s, data, all).activity();
        }
        assertEquals(10, a.rows());
        assertEquals(2, a.layers().size());
        UnitActivity.Layer l1 = a.layers().get(0), l2 = a.layers().get(1);
        assertEquals("relu1", l1.name());
        assertEquals(List.of(2), l1.deadUnits());
        assertEquals(1.0 / 8, l1.deadFraction(), 0);
        assertEquals(1.0 / 8, l1.sparsity(a.rows()), 1e-12, "only the dead unit is zero");
        assertEquals(List.of(0, 3), l2.deadUnits());
        assertEquals(2.0 / 5, l2.sparsity(a.rows()), 1e-12);
        assertEquals(List.of(1), a.head().deadUnits(), "class 1 never scores above 0");
        assertEquals(10L, a.head().active()[0]);
        // batches of 4, 4 and 2 rows: the 2 stale padding rows of the last batch are not counted
        assertEquals(rows * 7L, java.util.Arrays.stream(l1.active()).sum(), "7 live units x 10 rows");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "java-parallel-plain"})
    void aCnnCountsChannelsAndASoftmaxHeadHasNoClassCounts(String engineName) {
        Network net = new Network(ModelSpec.cnn(1, 16, 16, 10, Head.SOFTMAX), 3);
        assertNull(net.headProbe);
        List<String> shapes = net.hiddenProbes.stream().map(p -> p.layer() + ":" + p.units() + "x" + p.positions()).toList();
        assertEquals(List.of("relu1:32x196", "relu3:32x144", "relu7:64x16", "relu9:64x4", "relu14:256x1"), shapes);
        net.initialise(3);
        set(net, "conv0.b", -1000); // every channel of the first convolution dead
        float[] x = new float[5 * 256];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) / 7f;
        }
        Dataset data = new Dataset("img", x, new int[5], 5, 256, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        UnitActivity a;
        try (Engine engine = engine(engineName); Engine.Session s = engine.open(net.program())) {
            a = new Trainer(net, TrainConfig.paper(1, 3, 1)).evaluate(s, data, new int[] {0, 1, 2, 3, 4}).activity();
        }
        assertEquals(1.0, a.layers().get(0).deadFraction());
        assertEquals(1.0, a.layers().get(0).sparsity(5), 0);
        assertNull(a.head());
    }
}
