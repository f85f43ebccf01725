package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.engine.Engines;

/**
 * device-check without TornadoVM devices still writes its report, with java-parallel's reference figures; a bad
 * flag is a clear error. The device figures are checked on a machine with an SDK (scripts/device-check.sh).
 */
class DeviceCheckCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheReportWithTheJvmReference() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Engines.tornadoAvailable(), "with TornadoVM every device would be checked");
        int code = Main.run("device-check", "--no-training", "--seconds", "0.01", "--out", tmp.toString());
        assertEquals(0, code);
        List<String> csv = Files.readAllLines(tmp.resolve("device-check.csv"));
        assertEquals("device,kernels,section,item,metric,value", csv.get(0));
        assertEquals(7 + 3, csv.size() - 1, "7 GEMM kernels and 3 training steps on java-parallel: " + csv);
        for (String line : csv.subList(1, csv.size())) {
            double v = Double.parseDouble(line.substring(line.lastIndexOf(',') + 1));
            assertTrue(v > 0 && Double.isFinite(v), line);
        }
        String md = Files.readString(tmp.resolve("device-check.md"));
        assertTrue(md.contains("## GEMM-shaped kernels (GFLOP/s)") && md.contains("dense forward 256×512·512×512"), md);
        assertTrue(md.contains("no TornadoVM"), "the report says why there are no devices: " + md);
    }

    @Test
    void badFlagsAreClearErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        try {
            System.setErr(new PrintStream(err, true));
            assertEquals(2, Main.run("device-check", "--device-kernels", "fast", "--out", tmp.toString()));
            assertTrue(err.toString().contains("Invalid value for option '--device-kernels'"), err.toString());
            assertEquals(2, Main.run("device-check", "--devices", "gpu", "--out", tmp.toString()));
            assertTrue(err.toString().contains("Invalid value for option '--device': expected BACKEND:DEVICE"), err.toString());
        } finally {
            System.setErr(old);
        }
    }
}
