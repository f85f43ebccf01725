package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import relutornado.engine.DeviceKernels;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;

/**
 * Every JVM engine against the sequential one: with the plain kernels the same steps give the same bits;
 * with the Vector API variants they agree to float rounding.
 */
class EngineEqualityTest {

    static Network trained(Engine engine, Head head, int steps) {
        Network net = new Network(ModelSpec.ffnn(12, new int[] {16, 9}, 0.1f, 4, head), 10);
        net.initialise(5);
        Random rnd = new Random(9);
        net.rng[0] = 10;
        try (Engine.Session s = engine.open(net.program())) {
            for (int step = 1; step <= steps; step++) {
                for (int i = 0; i < net.x.length; i++) {
                    net.x[i] = (float) rnd.nextGaussian();
                }
                for (int r = 0; r < net.labels.length; r++) {
                    net.labels[r] = rnd.nextInt(4);
                }
                net.valid[0] = step == steps ? 7 : 10; // a short last batch
                net.rng[1] = step;
                net.adamStep(1e-2, 0.9, 0.999, 1e-8, step);
                s.run(Network.TRAIN);
            }
            s.run(Network.EVAL);
            s.syncState();
        }
        return net;
    }

    @ParameterizedTest(name = "{0} threads, {1} head")
    @CsvSource({"1,SOFTMAX", "2,SOFTMAX", "3,RELU", "8,RELU"})
    void parallelEngineWithPlainKernelsIsBitIdenticalToSequential(int threads, Head head) {
        Network ref = trained(new JavaEngine(), head, 6);
        Network par;
        try (ParallelJavaEngine engine = new ParallelJavaEngine(threads, false)) {
            par = trained(engine, head, 6);
        }
        assertArrayEquals(ref.params, par.params, "params");
        assertArrayEquals(ref.m, par.m, "adam m");
        assertArrayEquals(ref.v, par.v, "adam v");
        assertArrayEquals(ref.rowLoss, par.rowLoss, "row loss");
        assertArrayEquals(ref.rowPred, par.rowPred, "row predictions");
        System.out.printf("java-parallel (%d threads, %s) vs java: max |diff| = 0 (bit-identical required)%n", threads, head);
    }

    /** Max |a - b| / max |a|. */
    static double relativeDiff(float[] a, float[] b) {
        double d = 0, m = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs((double) a[i] - b[i]));
            m = Math.max(m, Math.abs(a[i]));
        }
        return d / m;
    }

    @ParameterizedTest(name = "{0} threads, {1} head")
    @CsvSource({"1,SOFTMAX", "2,SOFTMAX", "2,RELU", "5,RELU"})
    void parallelEngineWithVectorKernelsMatchesSequential(int threads, Head head) {
        Network ref = trained(new JavaEngine(), head, 6);
        Network par;
        try (ParallelJavaEngine engine = new ParallelJavaEngine(threads, true)) {
            assertTrue(engine.vectorKernels(), "the test JVM runs with --add-modules jdk.incubator.vector");
            par = trained(engine, head, 6);
        }
        double tolerance = 1e-5;
        double params = relativeDiff(ref.params, par.params);
        double loss = relativeDiff(ref.rowLoss, par.rowLoss);
        System.out.printf("java-parallel vector (%d threads, %s) vs java after 6 steps: params %.2e, row loss %.2e (tolerance %.0e)%n",
                threads, head, params, loss, tolerance);
        assertTrue(params <= tolerance, "params differ by " + params);
        assertTrue(loss <= tolerance, "row losses differ by " + loss);
        assertArrayEquals(ref.rowPred, par.rowPred, "row predictions");
    }

    @org.junit.jupiter.api.Test
    void badCpuKernelsFlagIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> new EngineOptions("java-parallel", null, 2, false, "avx", DeviceKernels.TUNED));
        assertTrue(e.getMessage().contains("--cpu-kernels"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"java,1", "java-parallel,2"})
    void factoryBuildsTheNamedEngine(String name, int threads) {
        try (Engine e = Engines.create(new EngineOptions(name, null, threads, false, "vector", DeviceKernels.TUNED))) {
            assertTrue(e.name().equals(name));
        }
    }

    @org.junit.jupiter.api.Test
    void badEngineFlagsAreClearErrors() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> new EngineOptions("cuda", null, 1, false, "vector", DeviceKernels.TUNED));
        assertTrue(e1.getMessage().contains("--engine"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new EngineOptions("tornado", "gpu0", 1, false, "vector", DeviceKernels.TUNED));
        assertTrue(e2.getMessage().contains("--device"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> new EngineOptions("java", "0:0", 1, false, "vector", DeviceKernels.TUNED));
        assertTrue(e3.getMessage().contains("--engine tornado"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> new EngineOptions("java-parallel", null, 0, false, "vector", DeviceKernels.TUNED));
        assertTrue(e4.getMessage().contains("--threads"), e4.getMessage());
    }

    @org.junit.jupiter.api.Test
    void tornadoWithoutSdkIsAClearError() {
        assumeFalse(Engines.tornadoAvailable(), "a TornadoVM JVM: TornadoEngineTest covers the engine");
        var e = assertThrows(IllegalStateException.class, () -> Engines.create(new EngineOptions("tornado", "0:0", 1, false, "vector", DeviceKernels.TUNED)));
        assertTrue(e.getMessage().contains("TORNADO_SDK"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void programRejectsUnregisteredArraysAndBadKernelCalls() {
        Program p = new Program("t");
        float[] a = p.buffer("a", new float[4], Program.Role.WORK);
        float[] stray = new float[4];
        KernelCall call = KernelCall.of("relu", relutornado.kernels.Activation.class, "reluForward", a, stray, 0, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> p.phase("run", List.of(call)));
        assertTrue(e.getMessage().contains("not registered"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> KernelCall.of("relu", relutornado.kernels.Activation.class, "reluForward", a, a, 0));
        assertTrue(e2.getMessage().contains("takes 4 arguments"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> KernelCall.of("relu", relutornado.kernels.Activation.class, "reluForward", a, new int[4], 0, 4));
        assertTrue(e3.getMessage().contains("must be float[]"), e3.getMessage());
    }
}
