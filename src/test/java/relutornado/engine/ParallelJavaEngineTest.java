package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import relutornado.model.Head;
import relutornado.model.Network;

/** The team of threads behind java-parallel: failures in any member reach the caller, sessions may share an engine. */
class ParallelJavaEngineTest {

    /** A phase whose second half (a helper's chunk) reads past its input: the caller gets the kernel's error, then runs on. */
    @Test
    void aHelpersFailureReachesTheCallerAndTheEngineRunsOn() {
        Program p = new Program("t");
        float[] out = p.buffer("out", new float[8], Program.Role.WORK);
        float[] shortIn = p.buffer("short", new float[] {1, -1, 2, -2}, Program.Role.WORK);
        float[] in = p.buffer("in", new float[] {1, -1, 2, -2, 3, -3, 4, -4}, Program.Role.WORK);
        p.phase("bad", List.of(KernelCall.of("relu", relutornado.kernels.Activation.class, "reluForward", out, shortIn, 0, 8)));
        p.phase("good", List.of(KernelCall.of("relu", relutornado.kernels.Activation.class, "reluForward", out, in, 0, 8)));
        try (ParallelJavaEngine engine = new ParallelJavaEngine(2, true); Engine.Session s = engine.open(p)) {
            var e = assertThrows(IllegalStateException.class, () -> s.run("bad"));
            assertTrue(e.getMessage().contains("kernel relu failed") && e.getMessage().contains("ArrayIndexOutOfBounds"), e.getMessage());
            s.run("good");
            assertArrayEquals(new float[] {1, 0, 2, 0, 3, 0, 4, 0}, out);
        }
    }

    /** Benchmark and run records name the GEMM tile the host got (it depends on the vector width). */
    @Test
    void theDeviceStringNamesTheGemmTile() {
        try (ParallelJavaEngine engine = new ParallelJavaEngine(2, true)) {
            assertTrue(engine.device().endsWith("Vector API kernels, GEMM tile " + relutornado.kernels.CpuGemm.tile()), engine.device());
        }
        try (ParallelJavaEngine engine = new ParallelJavaEngine(2, false)) {
            assertTrue(engine.device().endsWith("plain kernels"), engine.device());
        }
    }

    /** Two threads training on one engine at once get the sequential engine's bits (plain kernels), each its own. */
    @Test
    void concurrentSessionsOnOneEngineEqualTheSequentialEngine() {
        Network refSoftmax = EngineEqualityTest.trained(new JavaEngine(), Head.SOFTMAX, 6);
        Network refRelu = EngineEqualityTest.trained(new JavaEngine(), Head.RELU, 6);
        try (ParallelJavaEngine engine = new ParallelJavaEngine(2, false)) {
            var softmax = CompletableFuture.supplyAsync(() -> EngineEqualityTest.trained(engine, Head.SOFTMAX, 6));
            var relu = CompletableFuture.supplyAsync(() -> EngineEqualityTest.trained(engine, Head.RELU, 6));
            assertArrayEquals(refSoftmax.params, softmax.join().params, "softmax params");
            assertArrayEquals(refRelu.params, relu.join().params, "relu params");
        }
    }
}
