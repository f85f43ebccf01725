package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import relutornado.engine.Engines;

/** 'devices': one line per JVM engine, then TornadoVM's devices indented (or why there are none). */
class DevicesCommandTest {
    @Test
    void listsTheJvmEnginesThenTornadoVmsDevices() {
        CliRuns.Printed r = CliRuns.runPrinting("devices");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(lines.get(0).matches("java +\\S.*"), r.out());
        assertTrue(lines.get(1).startsWith("java-parallel  JVM, " + cores + " threads")
                && lines.get(1).contains("Vector API kernels, GEMM tile "), r.out());
        assertEquals("tornado:", lines.get(2), r.out());
        assertEquals(Engines.tornadoDevices().stream().map(l -> "  " + l).toList(), lines.subList(3, lines.size()), r.out());
        if (!Engines.tornadoAvailable()) {
            assertTrue(lines.get(3).contains("no TornadoVM") && lines.get(3).contains("TORNADO_SDK"), r.out());
        }
    }
}
