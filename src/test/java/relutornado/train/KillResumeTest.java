package relutornado.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import relutornado.cli.Main;

/**
 * A training JVM killed with SIGKILL in the middle of a fold, twice, and resumed each time, ends with the
 * results of an uninterrupted run, bit for bit (real WDBC, a few epochs).
 */
class KillResumeTest {
    static final Path DATA = Path.of(System.getProperty("relutornado.dataDir", "data"));

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"sound,java,vector", "paper,java-parallel,plain"})
    void killedTwiceMidFoldAndResumedEqualsUninterrupted(String protocol, String engine, String kernels) throws Exception {
        assumeTrue(Files.isDirectory(DATA.resolve("wdbc")), "no WDBC data in " + DATA + ": run scripts/setup.sh");
        List<String> args = List.of("train", "--dataset", "wdbc", "--head", "relu", "--scale", "--protocol", protocol,
                "--folds", "3", "--epochs", "12", "--batch", "8", "--seed", "7", "--engine", engine, "--threads", "2",
                "--cpu-kernels", kernels, "--data-dir", DATA.toString());
        Path straight = tmp.resolve("straight");
        assertEquals(0, Main.run(with(args, "--out", straight.toString()).toArray(String[]::new)));

        Path killed = tmp.resolve("killed");
        List<String> first = with(args, "--out", killed.toString());
        // kill 1: fold 2, mid-fold; kill 2 (after a resume): fold 3 or the final model, mid-fold
        killMidFold(first, killed, 1);
        assertFalse(Files.exists(killed.resolve("run.json")), "the killed run did not finish");
        killMidFold(with(first, "--resume"), killed, 2);
        assertEquals(0, Main.run(with(first, "--resume").toArray(String[]::new)));
        assertFalse(Files.exists(killed.resolve(Checkpoint.FILE)), "a finished run deletes its checkpoint");

        for (String f : List.of("predictions.csv", "metrics.csv", "confusion.csv")) {
            assertEquals(Files.readString(straight.resolve(f)), Files.readString(killed.resolve(f)), f);
        }
        // folds.csv: every measured column (the extra columns are wall times)
        assertEquals(measured(straight.resolve("folds.csv")), measured(killed.resolve("folds.csv")), "folds.csv");
        assertEquals(results(straight), results(killed), "run.json results");
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    /** Starts a training JVM and SIGKILLs it once a checkpoint shows a unit >= minUnit with epochs behind it. */
    private static void killMidFold(List<String> args, Path out, int minUnit) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (System.nanoTime() < deadline && p.isAlive()) {
                Checkpoint c = Files.exists(out.resolve(Checkpoint.FILE)) ? Checkpoint.read(out) : null;
                if (c != null && c.unit() >= minUnit && c.epochsDone() >= 3) {
                    break;
                }
                Thread.sleep(5);
            }
            assertTrue(p.isAlive(), "the run ended before it could be killed; log: "
                    + Files.readString(out.resolveSibling(out.getFileName() + ".log")));
        } finally {
            p.destroyForcibly(); // SIGKILL on Unix
            p.waitFor();
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    private static List<String> measured(Path folds) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(folds)) {
            String[] cells = line.split(",", -1);
            out.add(String.join(",", java.util.Arrays.copyOf(cells, 7)));
        }
        return out;
    }

    /** run.json's results object (everything a run measured; timings and dates are outside it). */
    private static String results(Path run) throws IOException {
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        com.google.gson.JsonObject results = o.getAsJsonObject("results");
        results.remove("train_samples_per_second"); // a speed
        assertTrue(results.size() >= 8, "results: " + results.keySet());
        return results.toString();
    }
}
