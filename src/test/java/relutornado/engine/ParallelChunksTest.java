package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import relutornado.model.Head;

/**
 * java-parallel's team claims chunks rather than dealing them out, so which thread runs a chunk depends on timing: the
 * trained parameters must not. Chunks per thread and spins are fixed when the engine class loads, so each setting runs
 * in a JVM of its own.
 */
class ParallelChunksTest {

    /** Prints the bits of the parameters a 3-thread vector engine trains (run by {@link #paramsIn}). */
    public static final class PrintParams {
        public static void main(String[] args) {
            try (ParallelJavaEngine engine = new ParallelJavaEngine(3, true)) {
                float[] p = EngineEqualityTest.trained(engine, Head.SOFTMAX, 6).params;
                int[] bits = new int[p.length];
                for (int i = 0; i < p.length; i++) {
                    bits[i] = Float.floatToRawIntBits(p[i]);
                }
                System.out.println("params " + p.length + " " + Arrays.hashCode(bits));
            }
        }
    }

    @Test
    void theChunkCountAndSpinsDoNotChangeTheTrainedBits() throws IOException, InterruptedException {
        String one = paramsIn("-Drelutornado.parallel.chunks=1");
        assertTrue(one.startsWith("params "), one);
        assertEquals(one, paramsIn("-Drelutornado.parallel.chunks=4"));
        assertEquals(one, paramsIn("-Drelutornado.parallel.chunks=3", "-Drelutornado.parallel.spins=1"));
    }

    @Test
    void aBadSettingIsRefusedNamingTheProperty() throws IOException, InterruptedException {
        String out = run("-Drelutornado.parallel.chunks=0");
        assertTrue(out.contains("-Drelutornado.parallel.chunks must be a positive integer, got 0"), out);
    }

    private static String paramsIn(String... properties) throws IOException, InterruptedException {
        return run(properties).lines().filter(l -> l.startsWith("params ")).findFirst().orElse(run(properties));
    }

    private static String run(String... properties) throws IOException, InterruptedException {
        return ChildJvm.run(PrintParams.class, properties).output();
    }
}
