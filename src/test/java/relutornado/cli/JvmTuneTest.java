package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.engine.tuning.CpuTile;
import relutornado.engine.tuning.JvmTuning;
import relutornado.engine.tuning.TuningFile;

/**
 * {@code tune --device java-parallel} on the FFNN's shapes with a budget that lets only the width rule's tile run (one
 * child JVM), then java-parallel runs that read the file: run.json names the tile and the file with its SHA-256, and an
 * explicit -Drelutornado.gemm.* wins over the file (said on stderr).
 */
class JvmTuneTest {
    @TempDir
    Path tmp;

    @Test
    void aTinyTuneWritesTheFileThatJavaParallelRunsThenRead() throws Exception {
        Path data = CliRuns.wdbcDataDir();
        Path file = tmp.resolve("t.json");
        CliRuns.Printed tune = CliRuns.runPrinting("tune", "--device", "java-parallel", "--tuning", file.toString(), "--models", "ffnn",
                "--budget", "0.00001", "--seconds", "0.01", "--threads", "1", "--gemm-size", "0");
        assertEquals(0, tune.code(), tune.out() + tune.err());
        assertTrue(tune.out().contains("budget of") && tune.out().contains("wrote " + file), tune.out());
        TuningFile t = TuningFile.read(file, JvmTuning.host());
        CpuTile winner = CpuTile.of(t.overall().winner());
        assertEquals(CpuTile.candidates(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize()).get(0), winner);
        assertTrue(t.shapes().size() >= 3 && t.shapes().stream().allMatch(s -> s.tried().size() == 1 && s.tried().get(0).gflops() != null),
                t.toJson());

        // the file's tile with its rows changed, so that a run that ignored the file would show another tile
        CpuTile other = new CpuTile(winner.bits(), winner.rows() == 8 ? 4 : 8, 2, winner.kc() / 2);
        TuningFile changed = new TuningFile(TuningFile.FORMAT, t.device(), t.date(), t.shapes(),
                new TuningFile.Overall(other.candidate(), t.overall().rule(), t.overall().tried()));
        Files.writeString(file, changed.toJson());
        Run read = train(tmp.resolve("a"), file);
        assertEquals(0, read.code(), read.output());
        JsonObject engine = engine(tmp.resolve("a"));
        assertTrue(engine.get("device").getAsString().contains("GEMM tile " + other + " (tuning file " + file), engine.toString());
        JsonObject choices = engine.getAsJsonObject("kernel_choices");
        assertEquals(file.toString(), choices.get("tuning_file").getAsString());
        assertEquals(TuningFile.sha256(file), choices.get("sha256").getAsString());

        Run override = train(tmp.resolve("b"), file, "-Drelutornado.gemm.rows=" + winner.rows());
        assertEquals(0, override.code(), override.output());
        assertTrue(override.output().contains("wins over tuning file " + file), override.output());
        String device = engine(tmp.resolve("b")).get("device").getAsString();
        assertTrue(device.contains("-D override") && device.contains(winner.rows() + "x" + winner.cols() + " vectors") && !device.contains(other.toString()), device);
    }

    private static JsonObject engine(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject().getAsJsonObject("engine");
    }

    record Run(int code, String output) {
    }

    /** {@code train --engine java-parallel --tuning FILE} on one epoch of WDBC in a fresh JVM with this class path. */
    private Run train(Path out, Path tuning, String... jvmFlags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector"));
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--dataset", "wdbc", "--engine",
                "java-parallel", "--threads", "2", "--folds", "1", "--epochs", "1", "--data-dir", CliRuns.wdbcDataDir().toAbsolutePath().toString(),
                "--out", out.toString(), "--tuning", tuning.toString()));
        Path log = tmp.resolve(out.getFileName() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "train did not finish: " + String.join(" ", cmd));
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8) + "\n(command: "
                + String.join(" ", cmd).replace(File.pathSeparator, " ") + ")");
    }
}
