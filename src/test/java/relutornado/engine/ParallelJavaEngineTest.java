package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

    /**
     * Benchmark and run records name the GEMM tile the host got and where it came from: -Drelutornado.gemm.bits/rows/kc
     * (an override) in a JVM of its own (the tile is fixed when CpuGemm loads), else the width rule: 8×2 with
     * 512-bit vectors (and 6×4 for products of 1024+ in every dimension), 4×2 below.
     */
    @Test
    void theDeviceStringNamesTheGemmTileAndItsSource() throws IOException, InterruptedException {
        assertEquals("8x2 vectors of 16 floats, depth blocks of 192; 6x4 vectors of 16 floats, depth blocks of 512 for products of 1024+"
                + " in every dimension (-D override {relutornado.gemm.bits=512})", tileIn("-Drelutornado.gemm.bits=512"));
        assertEquals("8x2 vectors of 16 floats, depth blocks of 192 (-D override {relutornado.gemm.big=false, relutornado.gemm.bits=512})",
                tileIn("-Drelutornado.gemm.bits=512", "-Drelutornado.gemm.big=false"));
        assertEquals("4x2 vectors of 8 floats, depth blocks of 384 (-D override {relutornado.gemm.bits=256})", tileIn("-Drelutornado.gemm.bits=256"));
        assertEquals("8x2 vectors of 8 floats, depth blocks of 96 (-D override {relutornado.gemm.bits=256, relutornado.gemm.kc=96, "
                + "relutornado.gemm.rows=8})", tileIn("-Drelutornado.gemm.bits=256", "-Drelutornado.gemm.rows=8", "-Drelutornado.gemm.kc=96"));
        int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        String big = bits >= 512 ? "; 6x4 vectors of 16 floats, depth blocks of 512 for products of 1024+ in every dimension" : "";
        assertEquals(relutornado.engine.tuning.CpuTile.widthRule(bits) + big + " (width rule)", tileIn());
        try (ParallelJavaEngine engine = new ParallelJavaEngine(2, false)) {
            assertTrue(engine.device().endsWith("plain kernels"), engine.device());
        }
    }

    /** Prints a vector java-parallel engine's device string (run by {@link #tileIn}). */
    public static final class PrintDevice {
        public static void main(String[] args) {
            try (ParallelJavaEngine engine = new ParallelJavaEngine(1, true)) {
                System.out.println(engine.device());
            }
        }
    }

    /** The GEMM tile that the device string of a JVM started with these properties names. */
    private static String tileIn(String... properties) throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(PrintDevice.class, properties);
        String out = r.output();
        assertEquals(0, r.exitCode(), out);
        String marker = "Vector API kernels, GEMM tile ";
        assertTrue(out.contains(marker), out);
        return out.substring(out.indexOf(marker) + marker.length()).lines().findFirst().orElseThrow();
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
