package relutornado.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.cli.Main;
import relutornado.train.Checkpoint;

/**
 * The study runner on a real Slurm (scripts/test.sh starts a one-node cluster with scripts/slurm-local.sh and
 * sets RELU_TORNADO_SLURM_TEST=1; without it the Slurm test skips, saying so): a WDBC study of 2 heads x 2 seeds
 * as a job array, one task killed with scancel --signal=KILL mid-run, the study resubmitted, and the merged
 * table equal to the same study run with --executor local.
 */
class SlurmStudyTest {
    static final Path DATA = Path.of(System.getProperty("relutornado.dataDir", "data")).toAbsolutePath();
    static final String STUDY = """
            name: slurm-test
            dataset: wdbc
            head: [softmax, relu]
            seed: [1, 2]
            scale: true
            folds: 3
            epochs: 12
            batch: 8
            engine: java
            data-dir: %s
            """;

    @TempDir
    Path tmp;

    @Test
    void killedArrayTaskResubmittedGivesTheLocalTable() throws Exception {
        assumeTrue("1".equals(System.getenv("RELU_TORNADO_SLURM_TEST")),
                "no Slurm test: scripts/test.sh runs it against scripts/slurm-local.sh's cluster (RELU_TORNADO_SLURM_TEST=1)");
        assertTrue(Files.isDirectory(DATA.resolve("wdbc")), "no WDBC data in " + DATA + ": run scripts/setup.sh");
        Path file = tmp.resolve("study.yaml");
        Files.writeString(file, STUDY.formatted(DATA));
        Path slurmDir = tmp.resolve("slurm-study");
        StudyDir dir = new StudyDir(slurmDir);

        // a refused submission is one clear error
        Run bad = cli("study", "run", file.toString(), "--out", tmp.resolve("bad").toString(), "--executor", "slurm",
                "--partition", "no-such-partition", "--no-wait");
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("sbatch refused") && bad.err.lines().filter(l -> l.startsWith("relu-tornado:")).count() == 1, bad.err);

        // one task at a time, so that the first cell runs while we kill it
        Run submitted = cli("study", "run", file.toString(), "--out", slurmDir.toString(), "--executor", "slurm", "--throttle", "1",
                "--no-wait");
        assertEquals(0, submitted.code, submitted.err);
        String[] jobs = submitted.out.strip().split(" ");
        String first = dir.readGrid().cells().get(0).id();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            Checkpoint c = Files.exists(Checkpoint.path(dir.cell(first))) ? Checkpoint.read(dir.cell(first)) : null;
            if (c != null && c.unit() >= 1) {
                break;
            }
            Thread.sleep(10);
        }
        assertFalse(Files.exists(dir.cell(first).resolve("run.json")), "the first cell finished before it could be killed");
        exec("scancel", "--signal=KILL", jobs[0] + "_0");
        while (!exec("squeue", "--noheader", "--jobs=" + jobs[0] + "," + jobs[1]).isBlank()) {
            assertTrue(System.nanoTime() < deadline, "the jobs did not leave the queue");
            Thread.sleep(200);
        }
        assertEquals(StudyDir.State.STALE, dir.status(first).state(), "the killed cell: " + dir.status(first));
        assertTrue(Files.exists(Checkpoint.path(dir.cell(first))), "the killed cell kept its checkpoint");
        assertFalse(Files.exists(slurmDir.resolve("table.md")), "the merge job was cancelled (kill_invalid_depend)");
        assertEquals(3, dir.counts().get(StudyDir.State.DONE));

        // resubmitted: only the killed cell runs, resuming; then the merge job
        Run again = cli("study", "run", file.toString(), "--out", slurmDir.toString(), "--executor", "slurm");
        assertEquals(0, again.code, again.err);
        assertTrue(again.err.contains("4 cell(s), 1 to run"), again.err);
        assertTrue(again.err.contains("taking over stale cell " + first), again.err);
        assertEquals(StudyDir.State.DONE, dir.status(first).state());

        Path localDir = tmp.resolve("local-study");
        Run local = cli("study", "run", file.toString(), "--out", localDir.toString(), "--devices", "java,java");
        assertEquals(0, local.code, local.err);
        assertEquals(Files.readString(localDir.resolve("table.md")), Files.readString(slurmDir.resolve("table.md")));
        assertTrue(Files.size(slurmDir.resolve("report.html")) > 0, "the merge job wrote the study's report.html");
        // run again: every cell is done, nothing runs
        Run done = cli("study", "run", file.toString(), "--out", localDir.toString());
        assertTrue(done.err.contains("4 cell(s), 0 to run"), done.err);
    }

    @Test
    void noSbatchIsOneClearError() throws Exception {
        Path file = tmp.resolve("study.yaml");
        Files.writeString(file, STUDY.formatted(DATA));
        List<String> cmd = new ArrayList<>(StudyDir.javaCommand());
        cmd.addAll(List.of("study", "run", file.toString(), "--out", tmp.resolve("s").toString(), "--executor", "slurm"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", tmp.resolve("empty").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), out);
        assertTrue(out.contains("relu-tornado: --executor slurm: cannot run sbatch"), out);
    }

    @Test
    void badStudyFilesAreRefusedBeforeAnythingRuns() throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, "dataset: wdbc\nhead: [softmax, relu]\nfolds: [3, 0]\n");
        Run r = cli("study", "run", file.toString(), "--out", tmp.resolve("s").toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("--folds must be in 1..100, got 0"), r.err);
        assertFalse(Files.exists(tmp.resolve("s")), "nothing was written");
        Files.writeString(file, "dataset: wdbc\nhead: [softmax, relu]\nepochs: many\n");
        r = cli("study", "run", file.toString(), "--out", tmp.resolve("s").toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("--epochs") && r.err.contains("'many'"), r.err);
        Files.writeString(file, "dataset: wdbc\nheads: relu\n");
        r = cli("study", "run", file.toString(), "--out", tmp.resolve("s").toString());
        assertTrue(r.err.contains("unknown key 'heads'"), r.err);
        assertFalse(Files.exists(tmp.resolve("s")), "nothing was written");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        String errText = err.toString(StandardCharsets.UTF_8);
        System.err.print(errText);
        return new Run(code, out.toString(StandardCharsets.UTF_8), errText);
    }

    private static String exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
