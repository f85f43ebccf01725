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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.check.DeviceCheckRun;
import relutornado.engine.Engines;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelCases;
import relutornado.engine.KernelVariants;
import relutornado.engine.tuning.TuningFile;
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

    /**
     * Without TornadoVM a device cannot be checked, but its tuning file is still read: the report names it (path, SHA-256),
     * the GEMM table's "tuned (tuning file)" column shows the file's winner where the file has the kernel and product and
     * "—" elsewhere, and the file is copied to OUT/tuning/. Without a file the report says so and which rule runs.
     */
    @Test
    void withoutTornadoTheTuningFileFillsTheTunedColumn() throws Exception {
        assumeFalse(Engines.tornadoAvailable(), "with TornadoVM the device would be checked (withTornadoTuneWritesTheFileThenUsesIt)");
        KernelCases.Gemm dense = KernelCases.gemms().get(0);
        KernelVariants.Product product = KernelVariants.product(dense.call()).orElseThrow();
        TuningFile.Candidate vector = new TuningFile.Candidate("vector", Map.of("rows", 8), null);
        TuningFile.Shape shape = TuningFile.Shape.of(KernelCall.describe(dense.call().method()), product,
                List.of(new TuningFile.Tried(TuningFile.Candidate.plain(), 1.5, null), new TuningFile.Tried(vector, 38.25, null)));
        Path file = tmp.resolve("gpu.json");
        new TuningFile(TuningFile.FORMAT, new TuningFile.Device("Some GPU", "Vendor", "1.0", "OpenCL C 1.2", "5.2.0", "cpu"),
                "2026-12-06T00:00:00Z", List.of(shape)).writeMerged(file);

        Path out = tmp.resolve("with");
        assertEquals(0, Main.run("device-check", "--no-training", "--seconds", "0.01", "--devices", "0:0", "--device-kernels", "tuned",
                "--tuning", file.toString(), "--out", out.toString()));
        String md = Files.readString(out.resolve("device-check.md"));
        assertTrue(md.contains("- 0:0: `" + file + "` (SHA-256 " + TuningFile.sha256(file) + "), found"), md);
        String row = md.lines().filter(l -> l.startsWith("| " + dense.name() + " |")).findFirst().orElseThrow();
        assertTrue(row.endsWith(" " + vector + ", 38.25 |"), "the file's winner and its GFLOP/s: " + row);
        assertTrue(md.contains("| 0:0 tuned (tuning file) |"), md);
        String other = md.lines().filter(l -> l.startsWith("| " + KernelCases.gemms().get(1).name() + " |")).findFirst().orElseThrow();
        assertTrue(other.endsWith(" — |"), "a kernel and product the file lacks: " + other);
        assertTrue(figures(out).contains("0:0,file,gemm," + dense.name() + ",gflops,38.2500"), figures(out).toString());
        assertEquals(Files.readString(file), Files.readString(out.resolve("tuning").resolve("gpu.json")), "the file comes back in OUT/tuning/");

        Path none = tmp.resolve("none");
        assertEquals(0, Main.run("device-check", "--no-training", "--seconds", "0.01", "--devices", "0:0", "--out", none.toString()));
        String md2 = Files.readString(none.resolve("device-check.md"));
        assertTrue(md2.contains("- 0:0: no tuning file (TornadoVM lists no device 0:0 to name one): tuned kernels run the default rule"), md2);
        assertTrue(md2.lines().filter(l -> l.startsWith("| " + dense.name() + " |")).findFirst().orElseThrow().endsWith(" — |"), md2);
        assertFalse(Files.exists(none.resolve("tuning")), "no file, nothing copied");
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

    /**
     * With TornadoVM and no tuning file for the device, device-check tunes it first (the tuner of tune, a tiny budget and one
     * model here), writes the file, names it in the report, copies it to OUT/tuning/ and checks the tuned kernels with it.
     */
    @Test
    void withTornadoTuneWritesTheFileThenUsesIt() throws Exception {
        assumeTrue(Engines.tornadoAvailable(), "no TornadoVM in this build/JVM (withoutTornadoTheTuningFileFillsTheTunedColumn runs instead)");
        Path file = tmp.resolve("t.json");
        Path out = tmp.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            code = Main.run("device-check", "--no-training", "--seconds", "0.01", "--devices", "0:0", "--device-kernels", "tuned",
                    "--tuning", file.toString(), "--tune-budget", "0.02", "--tune-models", "ffnn", "--out", out.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(0, code, err.toString());
        assertTrue(Files.exists(file), "the tuner wrote the file: " + err);
        assertFalse(TuningFile.read(file).shapes().isEmpty(), Files.readString(file));
        String md = Files.readString(out.resolve("device-check.md"));
        assertTrue(md.contains("- 0:0: `" + file + "` (SHA-256 " + TuningFile.sha256(file) + "), tuned by this run (--tune-budget 0.02 min, "
                + "--tune-models ffnn)"), md);
        assertEquals(Files.readString(file), Files.readString(out.resolve("tuning").resolve("t.json")));
        assertFalse(err.toString().contains("no tuning file for device"), "the tuned kernels ran with the file: " + err);
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
            String[][] bad = {
                    {"--device-kernels", "fast", "Invalid value for option '--device-kernels'"},
                    {"--devices", "gpu", "Invalid value for option '--device': expected BACKEND:DEVICE"},
                    {"--tune-budget", "0", "--tune-budget must be > 0 minutes, got 0.0"},
                    {"--tune-budget", "soon", "Invalid value for option '--tune-budget'"},
                    {"--tune-models", "ffnn,mlp", "--tune-models must be some of [ffnn, cnn, cnn-pixels], got [ffnn, mlp]"},
                    {"--tune-seconds", "-1", "--tune-seconds must be > 0, got -1.0"}};
            for (String[] b : bad) {
                assertEquals(2, Main.run("device-check", b[0], b[1], "--out", tmp.toString()), b[0] + " " + b[1]);
                assertTrue(err.toString().contains(b[2]), err.toString());
            }
        } finally {
            System.setErr(old);
        }
    }
}
