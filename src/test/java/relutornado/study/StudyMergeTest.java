package relutornado.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.train.Checkpoint;

/** The merged table on hand-made cells: medians, ranges, dead classes, states. */
class StudyMergeTest {
    @TempDir
    Path tmp;

    private void cell(StudyDir d, String id, double cv, double test, int[] recalls, String deaths) throws IOException {
        Path c = Files.createDirectories(d.cell(id));
        Files.writeString(c.resolve("run.json"), "{\"results\": {\"cv_accuracy_mean\": " + cv + ", \"cv_accuracy_std\": 0.01, "
                + "\"test_accuracy\": " + test + ", \"weighted_avg\": {\"f1\": 0.9}, \"dead_output_rows\": 7"
                + (deaths == null ? "" : ", \"dying_relu\": {\"class_deaths\": " + deaths + "}")
                + "}, \"timings\": {\"total_seconds\": 2.5}, "
                + "\"engine\": {\"name\": \"java\"}}");
        StringBuilder m = new StringBuilder("class,precision,recall,f1,support\n");
        for (int k = 0; k < recalls.length; k++) {
            m.append("c").append(k).append(",0.5,").append(recalls[k]).append(",0.5,10\n");
        }
        m.append("accuracy,,,0.9,20\nmacro avg,0.5,0.5,0.5,20\n");
        Files.writeString(c.resolve("metrics.csv"), m);
    }

    private static StudyDir.Entry entry(String id, String head, String seed) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dataset", "wdbc");
        s.put("head", head);
        s.put("seed", seed);
        return new StudyDir.Entry(id, s, List.of());
    }

    @Test
    void tableHasMedianRangeAndDeadClassSeedsPerRow() throws IOException {
        StudyDir d = new StudyDir(tmp);
        d.writeGrid(new StudyDir.Grid("t", List.of("head", "seed"), List.of(entry("a1", "softmax", "1"), entry("a2", "softmax", "2"),
                entry("a3", "softmax", "3"), entry("b1", "relu", "1"), entry("b2", "relu", "2"))));
        cell(d, "a1", 0.90, 0.95, new int[] {1, 1}, null);
        cell(d, "a2", 0.80, 0.97, new int[] {1, 1}, null);
        cell(d, "a3", 0.85, 0.91, new int[] {1, 0}, null);
        cell(d, "b1", 0.60, 0.62, new int[] {1, 1}, "[{\"class_name\": \"c0\", \"index\": 0, \"fold\": 2, \"epoch\": 3}]");
        // b2 is interrupted: a checkpoint and no run.json
        new Checkpoint("s", 1, 2, 3, new int[0], new double[0], List.of(), new float[1], new float[1], new float[1], new int[0],
                List.of()).write(d.cell("b2"));
        String table = StudyMerge.merge(d, false); // hand-made cells: the tables, not report.html
        assertTrue(table.contains("| wdbc | ffnn | softmax | 3/3 | 85.00 (80.00–90.00) | 95.00 (91.00–97.00) |  | 1/3 | 7 | 91.21 | 92.40 |"), table);
        assertTrue(table.contains("| wdbc | ffnn | relu | 1/2 | 60.00 | 62.00 | 1/1 | 0/1 | 7 | 87.96 | 90.64 |\n"), table);
        assertEquals(table, Files.readString(tmp.resolve("table.md")));
        List<String> csv = Files.readAllLines(tmp.resolve("study.csv"));
        assertEquals(6, csv.size());
        assertTrue(csv.get(5).startsWith("b2,pending,resumes at unit 2 after epoch 2,wdbc,relu,2,,"), csv.get(5));
        assertEquals(StudyDir.State.PENDING, d.status("b2").state());
        assertEquals(StudyDir.State.DONE, d.status("a1").state());
    }

    @Test
    void failedAndRunningCellsSayWhy() throws IOException {
        StudyDir d = new StudyDir(tmp);
        d.writeGrid(new StudyDir.Grid("t", List.of("seed"), List.of(entry("x", "relu", "1"), entry("y", "relu", "2"))));
        try (Heartbeat.Writer beat = d.markRunning("x")) {
            assertEquals(StudyDir.State.RUNNING, d.status("x").state(), "this very process runs it");
            assertTrue(d.status("x").note().contains("starting, heartbeat 0 s ago"), d.status("x").note());
            beat.epochDone(2, 7, 1.5);
            assertTrue(d.status("x").note().contains("fold 2 epoch 7"), d.status("x").note());
        }
        d.markFinished("x", "IllegalArgumentException: no WDBC data");
        assertEquals(new StudyDir.Status(StudyDir.State.FAILED, "IllegalArgumentException: no WDBC data"), d.status("x"));
        assertFalse(Files.exists(d.cell("x").resolve(Heartbeat.FILE)), "a finished cell has no heartbeat");
        // the marker of a process started before heartbeats that is gone: stale, run again
        Files.createDirectories(d.cell("y"));
        Files.writeString(d.cell("y").resolve("running"), "host " + StudyDir.host() + " pid 999999999\n");
        assertEquals(StudyDir.State.STALE, d.status("y").state());
        assertTrue(d.status("y").note().contains("no heartbeat, process gone"), d.status("y").note());
    }
}
