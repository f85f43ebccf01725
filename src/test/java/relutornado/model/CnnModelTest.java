package relutornado.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import relutornado.engine.KernelCall;

/** The CNN's architecture: parameter counts, shapes, initialisation fans and shape errors. */
class CnnModelTest {

    @Test
    void paperCnnHas84202Parameters() {
        ModelSpec spec = ModelSpec.cnn(1, 16, 16, 10, Head.SOFTMAX);
        assertEquals(84_202, spec.parameterCount());
        assertEquals(ModelSpec.CNN_PAPER_PARAMETERS, new Network(spec, 2).parameterCount());
        // 16 → 14 → 12 → pool 6 → 4 → 2 → pool 1: Flatten 64
        int[] shape = spec.inputShape();
        for (LayerSpec l : spec.layers()) {
            shape = l.outputShape(shape);
            if (l instanceof Layers.FlattenLayer) {
                assertArrayEquals(new int[] {64}, shape);
            }
        }
    }

    @Test
    void pixelsCnnHas329962Parameters() {
        // 28 → 26 → 24 → pool 12 → 10 → 8 → pool 4: Flatten 64·4·4 = 1,024, Dense 256 has 262,400 of them
        assertEquals(329_962, ModelSpec.cnn(1, 28, 28, 10, Head.RELU).parameterCount());
        assertEquals(ModelSpec.CNN_PIXELS_PARAMETERS, ModelSpec.cnn(1, 28, 28, 10, Head.RELU).parameterCount());
    }

    @Test
    void convolutionsGetKerasGlorotFans() {
        ParamLayout layout = new Network(ModelSpec.cnn(1, 16, 16, 10, Head.RELU), 1).layout();
        ParamLayout.Tensor conv1 = layout.tensors().get(2); // conv2.W: 32 filters over 32 channels, 3x3
        assertEquals("conv2.W", conv1.name());
        assertEquals(32 * 9, conv1.fanIn());
        assertEquals(32 * 9, conv1.fanOut());
        ParamLayout.Tensor conv0 = layout.tensors().get(0);
        assertEquals(9, conv0.fanIn());
        assertEquals(32 * 9, conv0.fanOut());
        float[] params = new float[layout.size()];
        layout.initialise(params, 7);
        double limit = Math.sqrt(6.0 / (9 + 32 * 9));
        double max = 0;
        for (int i = conv0.offset(); i < conv0.offset() + conv0.size(); i++) {
            max = Math.max(max, Math.abs(params[i]));
        }
        assertTrue(max <= limit && max > 0.9 * limit, "conv0 weights within Glorot's ±" + limit + ", max " + max);
    }

    @Test
    void denseWeightsKeepTheirFansSoFfnnInitialisationIsUnchanged() {
        ParamLayout a = new ParamLayout();
        a.weights("w", 5, 3);
        ParamLayout b = new ParamLayout();
        b.weights("w", 5, 3, 5, 3);
        float[] pa = new float[15], pb = new float[15];
        a.initialise(pa, 1);
        b.initialise(pb, 1);
        assertArrayEquals(pa, pb);
    }

    @Test
    void flattenCompilesToNoCallsAndNoArray() {
        Network net = new Network(ModelSpec.cnn(1, 16, 16, 10, Head.SOFTMAX), 4);
        List<String> names = net.program().phase(Network.TRAIN).stream().map(KernelCall::name).toList();
        assertTrue(names.stream().noneMatch(n -> n.startsWith("flatten")), names.toString());
        assertTrue(net.program().buffers().stream().noneMatch(b -> b.name().startsWith("flatten")));
        // the first layer's input gradient is never computed
        assertTrue(!names.contains("conv0_bwd_in") && names.contains("conv2_bwd_in") && names.contains("pool4_bwd"), names.toString());
        // evaluation: no dropout, no backward
        List<String> eval = net.program().phase(Network.EVAL).stream().map(KernelCall::name).toList();
        assertTrue(eval.stream().noneMatch(n -> n.startsWith("dropout") || n.contains("_bwd")), eval.toString());
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"1, 15, 16", "1, 8, 8", "3, 12, 30"})
    void inputsTooSmallForTheCnnAreClearErrors(int c, int h, int w) {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.cnn(c, h, w, 10, Head.RELU));
        assertTrue(e.getMessage().contains("model cnn") && e.getMessage().contains("leaves no output")
                || e.getMessage().contains("at least a 2x2"), e.getMessage());
    }

    @Test
    void badLayerShapesAreClearErrors() {
        var flat = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpec("cnn", new int[] {256}, List.of(Layers.conv2d(4, 3, "valid"), Layers.flatten(), Layers.dense(2)), 2,
                        Head.RELU));
        assertTrue(flat.getMessage().contains("(C, H, W) input") && flat.getMessage().contains("layer 0"), flat.getMessage());
        var pool = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpec("cnn", new int[] {1, 1, 5}, List.of(Layers.maxPool2(), Layers.flatten(), Layers.dense(2)), 2, Head.RELU));
        assertTrue(pool.getMessage().contains("at least a 2x2"), pool.getMessage());
        var head = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpec("cnn", new int[] {1, 4, 4}, List.of(Layers.conv2d(2, 3, "same")), 2, Head.RELU));
        assertTrue(head.getMessage().contains("the head needs 2 scores"), head.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Layers.conv2d(4, 2, "same"));
        assertThrows(IllegalArgumentException.class, () -> Layers.conv2d(4, 3, "full"));
        assertThrows(IllegalArgumentException.class, () -> Layers.conv2d(0, 3, "valid"));
    }

    @Test
    void samePaddingKeepsTheImageSize() {
        assertArrayEquals(new int[] {8, 5, 7}, Layers.conv2d(8, 3, "same").outputShape(new int[] {2, 5, 7}));
        assertArrayEquals(new int[] {8, 3, 5}, Layers.conv2d(8, 3, "valid").outputShape(new int[] {2, 5, 7}));
        assertArrayEquals(new int[] {2, 2, 3}, Layers.maxPool2().outputShape(new int[] {2, 5, 7}));
    }
}
