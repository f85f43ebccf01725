package relutornado.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.cli.Main;
import relutornado.train.Checkpoint;

/** Study status never lies: a fresh heartbeat is running, an old one or a dead process is stale, and 'study run' takes stale cells over. */
class StudyStatusTest {
    @TempDir
    Path tmp;

    private static StudyDir.Entry entry(String id) {
        return new StudyDir.Entry(id, Map.of("dataset", "wdbc"), List.of());
    }

    private static void beat(StudyDir d, String id, String host, long pid, Instant time, Double medianEpochSeconds) throws IOException {
        Files.createDirectories(d.cell(id));
        Files.writeString(d.cell(id).resolve(Heartbeat.FILE),
                StudyDir.GSON.toJson(new Heartbeat(host, pid, "", time.toString(), 3, 12, medianEpochSeconds)));
    }

    @Test
    void aHeartbeatIsStaleAfterThreeMedianEpochsButNeverBeforeFiveMinutes() throws IOException {
        StudyDir d = new StudyDir(tmp);
        d.writeGrid(new StudyDir.Grid("t", List.of(), List.of(entry("a"), entry("b"), entry("c"), entry("d"))));
        Instant now = Instant.parse("2025-06-12T10:00:00Z");
        // another host: its pid cannot be checked, only the heartbeat's age counts
        beat(d, "a", "node-7", 4242, now.minus(Duration.ofHours(1)), 2.0);
        beat(d, "b", "node-7", 4242, now.minus(Duration.ofSeconds(299)), 2.0); // under the 5 min floor
        beat(d, "c", "node-7", 4242, now.minus(Duration.ofMinutes(40)), 1000.0); // 3 x 1000 s = 50 min
        beat(d, "d", "node-7", 4242, now.minus(Duration.ofSeconds(301)), null); // no epoch yet: the floor alone
        StudyDir.Status a = d.status("a", now);
        assertEquals(StudyDir.State.STALE, a.state());
        assertEquals("host node-7, last heartbeat 60 min ago (fold 3 epoch 12)", a.note());
        assertEquals(StudyDir.State.RUNNING, d.status("b", now).state());
        assertEquals("host node-7 pid 4242, fold 3 epoch 12, heartbeat 5 min ago", d.status("b", now).note());
        assertEquals(StudyDir.State.RUNNING, d.status("c", now).state(), d.status("c", now).note());
        assertEquals(StudyDir.State.STALE, d.status("d", now).state());
        assertEquals(Duration.ofSeconds(300), new Heartbeat("h", 1, "", now.toString(), -1, 0, 90.0).staleAfter());
        assertEquals(Duration.ofSeconds(330), new Heartbeat("h", 1, "", now.toString(), -1, 0, 110.0).staleAfter());

        // this host: a fresh heartbeat of a process that is gone is stale at once, with where the cell resumes
        beat(d, "b", StudyDir.host(), 999_999_999L, now, 2.0);
        new Checkpoint("s", 1, 2, 3, new int[0], new double[0], List.of(), new float[1], new float[1], new float[1], new int[0],
                List.of()).write(d.cell("b"));
        StudyDir.Status b = d.status("b", now);
        assertEquals(StudyDir.State.STALE, b.state());
        assertEquals("host " + StudyDir.host() + ", last heartbeat 0 s ago (fold 3 epoch 12; pid 999999999 is gone); "
                + "resumes at unit 2 after epoch 2", b.note());
        // a garbled heartbeat is no heartbeat
        Files.writeString(d.cell("c").resolve(Heartbeat.FILE), "{not json");
        assertEquals(StudyDir.State.PENDING, d.status("c", now).state());
        assertEquals(Map.of(StudyDir.State.DONE, 0, StudyDir.State.RUNNING, 0, StudyDir.State.STALE, 3, StudyDir.State.FAILED, 0,
                StudyDir.State.PENDING, 1), d.counts());
    }

    @Test
    void aKilledCellIsStaleAndStudyRunResumesItFromItsCheckpoint() throws Exception {
        Path data = Path.of(System.getProperty("relutornado.dataDir", "data")).toAbsolutePath();
        assumeTrue(Files.isDirectory(data.resolve("wdbc")), "no WDBC data in " + data + " (scripts/setup.sh puts it there)");
        Path file = tmp.resolve("study.yaml");
        Files.writeString(file, """
                name: kill-test
                dataset: wdbc
                head: relu
                seed: 3
                scale: true
                folds: 3
                epochs: 40
                batch: 4
                engine: java
                data-dir: %s
                """.formatted(data));
        Path out = tmp.resolve("study");
        StudyDir d = new StudyDir(out);
        // the grid as 'study run' writes it, then the cell's own process ('study cell', as a worker starts it), killed mid-run
        Study study = Study.read(file, trainFlags());
        Study.Cell cell = study.cells(c -> { }).get(0);
        d.writeGrid(new StudyDir.Grid(study.name(), List.copyOf(study.axes()),
                List.of(new StudyDir.Entry(cell.id(), cell.settings(), cell.args(trainFlags().switches())))));
        List<String> cmd = new ArrayList<>(StudyDir.javaCommand());
        cmd.addAll(List.of("study", "cell", out.toString(), cell.id()));
        Files.createDirectories(d.cell(cell.id()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(d.cell(cell.id()).resolve("cell.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            Heartbeat h = d.heartbeat(cell.id());
            if (h != null && h.fold() == 2 && Files.exists(Checkpoint.path(d.cell(cell.id())))) {
                break;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                fail("the cell did not reach fold 2: " + Files.readString(d.cell(cell.id()).resolve("cell.log")));
            }
            Thread.sleep(5);
        }
        StudyDir.Status running = d.status(cell.id());
        assertEquals(StudyDir.State.RUNNING, running.state(), running.note());
        assertTrue(running.note().startsWith("host " + StudyDir.host() + " pid " + p.pid() + ", fold 2 epoch "), running.note());
        p.destroyForcibly();
        p.waitFor();
        assertFalse(Files.exists(d.cell(cell.id()).resolve("run.json")), "the cell finished before it could be killed");
        StudyDir.Status stale = d.status(cell.id());
        assertEquals(StudyDir.State.STALE, stale.state(), stale.note());
        assertTrue(stale.note().matches("host \\S+, last heartbeat \\d+ s ago \\(fold 2 epoch \\d+; pid " + p.pid()
                + " is gone\\); resumes at unit 2 after epoch \\d+"), stale.note());
        String status = cli("study", "status", out.toString());
        assertTrue(status.startsWith("stale    " + cell.id() + "  host "), status);

        String err = cliErr("study", "run", file.toString(), "--out", out.toString());
        assertTrue(err.contains("1 cell(s), 1 to run"), err);
        assertTrue(err.contains("taking over stale cell " + cell.id() + " (host "), err);
        assertEquals(StudyDir.State.DONE, d.status(cell.id()).state(), d.status(cell.id()).note());
        String log = Files.readString(d.cell(cell.id()).resolve("cell.log"));
        assertTrue(log.contains("resuming " + d.cell(cell.id()) + " at fold 2"), log);
        assertFalse(Files.exists(d.cell(cell.id()).resolve(Heartbeat.FILE)), "a done cell leaves no heartbeat");
    }

    @Test
    void oneCellOfThePaperStudyKeepsItsSingleValuedKeysAsStudyCsvColumns() throws Exception {
        Path data = Path.of(System.getProperty("relutornado.dataDir", "data")).toAbsolutePath();
        assumeTrue(Files.isDirectory(data.resolve("wdbc")), "no WDBC data in " + data + " (scripts/setup.sh puts it there)");
        Path paper = Files.exists(Path.of("scripts/studies/paper.yaml")) ? Path.of("scripts/studies/paper.yaml")
                : Path.of("../scripts/studies/paper.yaml");
        Path out = tmp.resolve("one");
        // the re-run of one committed cell, shortened (2 folds x 2 epochs) for the test
        String err = cliErr("study", "run", paper.toString(), "--set", "dataset=wdbc", "--set", "model=ffnn", "--set", "head=softmax",
                "--set", "seed=3", "--set", "folds=2", "--set", "epochs=2", "--set", "engine=java", "--data-dir", data.toString(),
                "--out", out.toString());
        assertTrue(err.contains("1 cell(s), 1 to run"), err);
        List<String> csv = Files.readAllLines(out.resolve("study.csv"));
        assertEquals(2, csv.size(), String.join("\n", csv));
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals(header.size(), java.util.Set.copyOf(header).size(), "no column twice (the file's engine key and the engine that ran)");
        for (String column : List.of("dataset", "model", "head", "seed", "cv_accuracy_mean", "cv_accuracy_std", "test_accuracy",
                "weighted_f1", "dead_output_rows", "engine", "host", "seconds")) {
            assertTrue(header.contains(column), "study.csv has no column " + column + ": " + header);
        }
        List<String> row = List.of(csv.get(1).split(",", -1));
        assertEquals("3", row.get(header.indexOf("seed")));
        assertEquals("softmax", row.get(header.indexOf("head")));
        assertEquals(StudyDir.host(), row.get(header.indexOf("host")));
        assertTrue(Double.parseDouble(row.get(header.indexOf("test_accuracy"))) > 0.5, csv.get(1));
        assertTrue(Files.readString(out.resolve("table.csv")).startsWith(
                "dataset,model,head,seeds,test_median,test_min,test_max,cv_median,paper_test,paper_cv\n".replace("\n", ",")));
    }

    /** The train flags a study may set, as 'study run' reads them. */
    private static Study.Flags trainFlags() {
        return new Study.Flags(java.util.Set.of("dataset", "head", "seed", "scale", "folds", "epochs", "batch", "engine", "data-dir"),
                java.util.Set.of("scale"));
    }

    private static String cli(String... args) {
        return capture(true, args);
    }

    private static String cliErr(String... args) {
        return capture(false, args);
    }

    private static String capture(boolean stdout, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = stdout ? System.out : System.err;
        try {
            PrintStream to = new PrintStream(buf, true, StandardCharsets.UTF_8);
            if (stdout) {
                System.setOut(to);
            } else {
                System.setErr(to);
            }
            Main.run(args);
        } finally {
            if (stdout) {
                System.setOut(old);
            } else {
                System.setErr(old);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
