package relutornado.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import relutornado.engine.tuning.CpuTile;
import relutornado.engine.tuning.TuningFile.Tried;

/** The JVM tuner's shapes, its ranking weights and how a tile's training-step rate is formed. */
class JvmTunerTest {
    static final CpuTile TILE = new CpuTile(256, 4, 2, 384);

    @Test
    void stepShapesAreWeightedByTheirCallsPerStep() {
        List<Tuner.Shape> shapes = JvmTuner.shapes(List.of("ffnn"), 0);
        Map<String, Integer> calls = JvmTuner.stepCalls(List.of("ffnn"));
        List<String> keys = shapes.stream().map(Tuner.Shape::key).toList();
        assertTrue(keys.containsAll(calls.keySet()), calls + " vs " + keys);
        assertTrue(calls.keySet().size() < keys.size(), "evaluation shapes are measured, not ranked: " + keys);

        // every shape at 10 GFLOP/s: the step's rate is 10; one shape at 5: total flops over total time
        List<Tried> tried = new ArrayList<>();
        shapes.forEach(s -> tried.add(new Tried(TILE.candidate(), 10.0, null)));
        assertEquals(10.0, JvmTuner.stepRate(TILE, shapes, tried, calls).gflops(), 1e-9);
        int slow = keys.indexOf(calls.keySet().iterator().next());
        tried.set(slow, new Tried(TILE.candidate(), 5.0, null));
        double flops = 0;
        double seconds = 0;
        for (var e : calls.entrySet()) {
            double f = (double) e.getValue() * shapes.get(keys.indexOf(e.getKey())).product().flops();
            flops += f;
            seconds += f / ((keys.indexOf(e.getKey()) == slow ? 5.0 : 10.0) * 1e9);
        }
        assertEquals(flops / seconds / 1e9, JvmTuner.stepRate(TILE, shapes, tried, calls).gflops(), 1e-9);

        // an error on a ranked shape is the tile's error; on an unranked one it does not count
        tried.set(slow, new Tried(TILE.candidate(), null, "differs"));
        Tried failed = JvmTuner.stepRate(TILE, shapes, tried, calls);
        assertNull(failed.gflops());
        assertTrue(failed.error().contains(keys.get(slow)) && failed.error().contains("differs"), failed.error());
    }

    /**
     * Products deeper than SCALED_DEPTH get smaller operands (sums of the same size as a 512-term one), others keep
     * Tuner's, for the device tuner and the JVM tuner alike (the JVM's square GEMM on top).
     */
    @Test
    void deepProductsHaveScaledOperands() {
        List<Tuner.Shape> plain = Tuner.unscaledShapes(List.of("cnn"));
        compareScaled(plain, Tuner.shapes(List.of("cnn")));
        List<Tuner.Shape> jvm = JvmTuner.shapes(List.of("cnn"), 1024);
        assertEquals(plain.size() + 1, jvm.size());
        compareScaled(plain, jvm);
        float[] gemmIn = (float[]) jvm.get(plain.size()).call().args()[1];
        assertTrue(java.util.stream.IntStream.range(0, gemmIn.length).allMatch(i -> Math.abs(gemmIn[i]) <= Tuner.SCALE * Math.sqrt(0.5) + 1e-6),
                "the 1024-deep square GEMM is scaled too");
    }

    private static void compareScaled(List<Tuner.Shape> plain, List<Tuner.Shape> scaled) {
        boolean sawDeep = false;
        for (int i = 0; i < plain.size(); i++) {
            float[] a = firstFloats(plain.get(i));
            float[] b = firstFloats(scaled.get(i));
            int depth = plain.get(i).product().depth();
            double f = depth > Tuner.SCALED_DEPTH ? Math.sqrt((double) Tuner.SCALED_DEPTH / depth) : 1;
            sawDeep |= f < 1;
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j] * f, b[j], 1e-7, plain.get(i).key());
            }
        }
        assertTrue(sawDeep, "the paper CNN has a product deeper than " + Tuner.SCALED_DEPTH);
    }

    private static float[] firstFloats(Tuner.Shape s) {
        for (Object a : s.call().args()) {
            if (a instanceof float[] x) {
                return x;
            }
        }
        throw new AssertionError("no float argument in " + s.key());
    }
}
