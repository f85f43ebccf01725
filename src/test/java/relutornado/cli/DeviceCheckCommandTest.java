package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.check.DeviceCheckRun;
import relutornado.engine.Engines;
import relutornado.train.ExperimentConfig;

/**
 * device-check without TornadoVM still writes its report, with java-parallel's reference figures; with TornadoVM (an SDK
 * build) a device's kernels are checked against the JVM and timed beside them; a bad flag is a clear error.
 */
class DeviceCheckCommandTest {
    @TempDir
    Path tmp;

    @Test
    void withoutTornadoTheReportHasTheJvmReference() throws Exception {
        assumeFalse(Engines.tornadoAvailable(), "with TornadoVM every device would be checked (withTornadoADeviceIsCheckedAgainstTheJvm)");
        int code = Main.run("device-check", "--no-training", "--seconds", "0.01", "--out", tmp.toString());
        assertEquals(0, code);
        List<String> csv = figures(tmp);
        assertEquals(7 + 3, csv.size(), "7 GEMM kernels and 3 training steps on java-parallel: " + csv);
        String md = Files.readString(tmp.resolve("device-check.md"));
        assertTrue(md.contains("## GEMM-shaped kernels (GFLOP/s)") && md.contains("dense forward 256×512·512×512"), md);
        assertTrue(md.contains("no TornadoVM"), "the report says why there are no devices: " + md);
    }

    /** The short trainings are the train runs device-check used to start by flags: the same configuration. */
    @Test
    void theTrainingsAreTheTrainFlagsTheyReplaced() {
        List<List<String>> flags = List.of(
                List.of("--dataset", "mnist", "--model", "ffnn", "--head", "softmax", "--epochs", "3", "--limit", "10000"),
                List.of("--dataset", "mnist", "--model", "ffnn", "--head", "relu", "--epochs", "3", "--limit", "10000"),
                List.of("--dataset", "mnist", "--model", "cnn", "--input", "pixels", "--head", "softmax", "--epochs", "1", "--limit", "10000"));
        assertEquals(flags.size(), DeviceCheckRun.TRAININGS.size());
        for (int i = 0; i < flags.size(); i++) {
            Path out = tmp.resolve(Integer.toString(i));
            for (String device : new String[] {null, "0:1"}) {
                List<String> engine = device == null ? List.of("--engine", "java-parallel")
                        : List.of("--engine", "tornado", "--device", device, "--device-kernels", "tuned", "--profile");
                List<String> args = new java.util.ArrayList<>(List.of("--folds", "1", "--protocol", "paper", "--data-dir", "d", "--out",
                        out.toString()));
                args.addAll(flags.get(i));
                args.addAll(engine);
                ExperimentConfig want = StudyCommand.parseTrain(args).config();
                assertEquals(want, DeviceCheckRun.TRAININGS.get(i).config(Path.of("d"), out, DeviceCheckRun.trainingEngine(device, null)),
                        args.toString());
            }
        }
    }

    @Test
    void withTornadoADeviceIsCheckedAgainstTheJvm() throws Exception {
        assumeTrue(Engines.tornadoAvailable(), "no TornadoVM in this build/JVM (withoutTornadoTheReportHasTheJvmReference runs instead)");
        int code = Main.run("device-check", "--no-training", "--seconds", "0.01", "--devices", "0:0", "--device-kernels", "plain",
                "--out", tmp.toString());
        List<String> csv = figures(tmp);
        List<String> kernels = csv.stream().filter(l -> l.startsWith("0:0,plain,kernels,")).toList();
        assertEquals(0, code, "every kernel within the tolerance: " + kernels);
        assertFalse(kernels.isEmpty(), "the device's kernels were checked: " + csv);
        assertEquals(7, csv.stream().filter(l -> l.startsWith("0:0,plain,gemm,")).count(), "the 7 GEMM kernels timed on 0:0: " + csv);
        assertEquals(3, csv.stream().filter(l -> l.startsWith("0:0,plain,step,")).count(), "3 training steps timed on 0:0: " + csv);
        String md = Files.readString(tmp.resolve("device-check.md"));
        assertTrue(md.contains("## Kernels against the JVM") && md.contains("| 0:0 plain |"), md);
        assertFalse(md.lines().anyMatch(l -> l.startsWith("|") && l.contains("✗")), "no kernel marked beyond the tolerance: " + md);
        assertFalse(md.contains("## Problems"), md);
    }

    /** device-check.csv's figures (after its header): finite, rates above 0, errors and times at least 0. */
    private static List<String> figures(Path out) throws IOException {
        List<String> csv = Files.readAllLines(out.resolve("device-check.csv"));
        assertEquals("device,kernels,section,item,metric,value", csv.get(0));
        for (String line : csv.subList(1, csv.size())) {
            double v = Double.parseDouble(line.substring(line.lastIndexOf(',') + 1));
            boolean rate = line.contains(",gflops,") || line.contains(",samples_per_s,");
            assertTrue(Double.isFinite(v) && (rate ? v > 0 : v >= 0), line);
        }
        return csv.subList(1, csv.size());
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
