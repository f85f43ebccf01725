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
        StudyDir.Entry e = d.entry(id);
        Path c = Files.createDirectories(d.cell(id));
        Files.writeString(c.resolve("run.json"), "{\"settings\": {\"dataset\": \"" + e.settings().get("dataset") + "\", \"model\": "
                + "\"ffnn\", \"head\": \"" + e.settings().get("head") + "\", \"seed\": " + e.settings().get("seed") + "}, "
                + "\"environment\": {\"host\": \"node-1\"}, "
                + "\"results\": {\"cv_accuracy_mean\": " + cv + ", \"cv_accuracy_std\": 0.01, "
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
        return entry(id, "wdbc", head, seed);
    }

    private static StudyDir.Entry entry(String id, String dataset, String head, String seed) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dataset", dataset);
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
        assertTrue(table.contains("| wdbc | ffnn | softmax | 3/3 | 85.00 [80.00 – 90.00] | 95.00 [91.00 – 97.00] |  | 1/3 | 7 | 91.21 | 92.40 |"), table);
        assertTrue(table.contains("| wdbc | ffnn | relu | 1/2 | 60.00 | 62.00 | 1/1 | 0/1 | 7 | 87.96 | 90.64 |\n"), table);
        // seed 1 is the one pair: 0.62 - 0.95
        assertTrue(table.contains("| wdbc | ffnn | 1 | -33.00 | [-33.00, -33.00] (0.0 %) | 1.0000 | 1 pairs cannot give p < 0.05"), table);
        assertEquals(table, Files.readString(tmp.resolve("table.md")));
        List<String> csv = Files.readAllLines(tmp.resolve("study.csv"));
        assertEquals(6, csv.size());
        assertEquals("id,state,note,dataset,model,head,seed,cv_accuracy_mean,cv_accuracy_std,test_accuracy,weighted_f1,dead_output_rows,"
                + "class_deaths,unpredicted_classes,engine,host,seconds", csv.get(0));
        assertEquals("a1,done,,wdbc,ffnn,softmax,1,0.9,0.01,0.95,0.9,7,,0,java,node-1,2.5", csv.get(1));
        // not done: the settings the file gives, the rest empty
        assertTrue(csv.get(5).startsWith("b2,pending,resumes at unit 2 after epoch 2,wdbc,,relu,2,,"), csv.get(5));
        assertEquals(StudyDir.State.PENDING, d.status("b2").state());
        assertEquals(StudyDir.State.DONE, d.status("a1").state());
    }

    /** The exact two-sided Wilcoxon signed-rank p by enumerating every sign pattern (distinct sizes, no zeros): the test's own check. */
    private static double exactWilcoxon(double[] d) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(Math.abs(d[a]), Math.abs(d[b])));
        int[] rank = new int[n];
        for (int r = 0; r < n; r++) {
            rank[order[r]] = r + 1;
        }
        int observed = 0;
        for (int i = 0; i < n; i++) {
            observed += d[i] > 0 ? rank[i] : 0;
        }
        int total = n * (n + 1) / 2;
        int extreme = 0;
        for (int signs = 0; signs < 1 << n; signs++) {
            int w = 0;
            for (int i = 0; i < n; i++) {
                w += (signs >> i & 1) == 1 ? i + 1 : 0;
            }
            // as far from the middle n(n+1)/4 as the observed W+, or farther
            extreme += Math.abs(2 * w - total) >= Math.abs(2 * observed - total) ? 1 : 0;
        }
        return (double) extreme / (1 << n);
    }

    @Test
    void tablesOverSeedsAndThePairedComparisonHaveHandComputedValues() throws IOException {
        StudyDir d = new StudyDir(tmp);
        List<StudyDir.Entry> entries = new java.util.ArrayList<>();
        for (String head : List.of("softmax", "relu")) {
            for (int seed = 1; seed <= 5; seed++) {
                entries.add(entry("mnist-" + head + seed, "mnist", head, Integer.toString(seed)));
            }
        }
        d.writeGrid(new StudyDir.Grid("t", List.of("head", "seed"), entries));
        double[] softmax = {0.90, 0.91, 0.92, 0.93, 0.94};
        // ReLU - softmax per seed: +0.03, +0.01, +0.05, +0.02, +0.04 (all positive, distinct sizes)
        double[] relu = {0.93, 0.92, 0.97, 0.95, 0.98};
        double[] cvSoftmax = {0.80, 0.82, 0.84, 0.86, 0.88};
        double[] cvRelu = {0.70, 0.71, 0.72, 0.73, 0.74};
        for (int i = 0; i < 5; i++) {
            cell(d, "mnist-softmax" + (i + 1), cvSoftmax[i], softmax[i], new int[] {1, 1}, null);
            cell(d, "mnist-relu" + (i + 1), cvRelu[i], relu[i], new int[] {1, i == 4 ? 0 : 1}, i < 2 ? "[{\"class_name\": \"c0\", "
                    + "\"index\": 0, \"fold\": 2, \"epoch\": 3}]" : "[]");
        }
        String table = StudyMerge.merge(d, false);

        List<String> t = Files.readAllLines(tmp.resolve("table.csv"));
        assertEquals(List.of("dataset", "model", "head", "seeds", "test_median", "test_min", "test_max", "cv_median", "paper_test", "paper_cv"),
                List.of(t.get(0).split(",")).subList(0, 10));
        // medians, minima and maxima of the accuracies above; the paper's MNIST FFNN rows (Agarap 2018, table 2)
        assertEquals("mnist,ffnn,softmax,5,0.92,0.9,0.94,0.84,0.9798,0.9929,5,0.9 0.91 0.92 0.93 0.94,0.8,0.88,0.0067,,,0,7.0", t.get(1));
        assertEquals("mnist,ffnn,relu,5,0.95,0.92,0.98,0.72,0.9777,0.9822,5,0.93 0.92 0.97 0.95 0.98,0.7,0.74,0.0126,2,5,1,7.0",
                t.get(2));

        List<String> p = Files.readAllLines(tmp.resolve("paired.csv"));
        assertEquals("dataset,model,pairs,seeds,relu_minus_softmax_median,ci_low,ci_high,ci_level,wilcoxon_p,p_exact,smallest_possible_p,"
                + "differences", p.get(0));
        String[] row = p.get(1).split(",");
        assertEquals(List.of("mnist", "ffnn", "5", "1 2 3 4 5"), List.of(row).subList(0, 4));
        assertEquals(0.03, Double.parseDouble(row[4]), 1e-12, "median of +3, +1, +5, +2, +4 points");
        assertEquals(0.01, Double.parseDouble(row[5]), 1e-12, "interval: the smallest difference");
        assertEquals(0.05, Double.parseDouble(row[6]), 1e-12, "interval: the largest difference");
        assertEquals(1 - 2.0 / 32, Double.parseDouble(row[7]), 1e-12, "[min, max] of 5 covers 1 - 2/2^5");
        double[] diffs = new double[5];
        for (int i = 0; i < 5; i++) {
            diffs[i] = relu[i] - softmax[i];
        }
        assertEquals(0.0625, exactWilcoxon(diffs), 1e-15);
        assertEquals(exactWilcoxon(diffs), Double.parseDouble(row[8]), 1e-12, "exact p of 5 positive differences is 2/2^5");
        assertEquals("true", row[9]);
        assertEquals(0.0625, Double.parseDouble(row[10]), 1e-12);
        assertTrue(table.contains("| mnist | ffnn | 5 | +3.00 | [+1.00, +5.00] (93.8 %) | 0.0625 | 5 pairs cannot give p < 0.05 two-sided "
                + "(the smallest possible p is 0.0625); too few pairs for a 95 % interval: [min, max] covers 93.75 % |"), table);
        assertTrue(table.contains("| mnist | ffnn | relu | 5/5 | 72.00 [70.00 – 74.00] | 95.00 [92.00 – 98.00] | 2/5 | 1/5 | 7 | 98.22 | 97.77 |"),
                table);
    }

    @Test
    void pairedDifferenceAgreesWithHandValues() {
        // 9 pairs: the sign-test interval narrows to [d(2), d(8)], coverage 1 - 2 * 10/512
        double[] relu = {0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3};
        double[] softmax = {0.51, 0.58, 0.67, 0.76, 0.85, 0.94, 1.03, 1.12, 1.21}; // -1, +2, +3 ... +9 hundredths
        PairedDifference x = PairedDifference.of(relu, softmax);
        assertEquals(0.05, x.median(), 1e-12);
        assertEquals(0.02, x.ciLow(), 1e-12);
        assertEquals(0.08, x.ciHigh(), 1e-12);
        assertEquals(1 - 20.0 / 512, x.ciLevel(), 1e-12);
        double[] d = x.differences();
        assertEquals(exactWilcoxon(d), x.p(), 1e-12);
        assertEquals(4.0 / 512, x.p(), 1e-12, "W+ = 44 of 45: two patterns as extreme on each side, of 2^9");
        assertTrue(x.exact() && x.canReach(0.05));
        // a zero difference: the normal approximation, said so
        PairedDifference z = PairedDifference.of(new double[] {0.9, 0.8, 0.7}, new double[] {0.9, 0.79, 0.72});
        assertFalse(z.exact());
        assertEquals(0.25, z.smallestP(), 1e-12);
        assertTrue(Double.isNaN(PairedDifference.of(new double[] {0.9}, new double[] {0.9}).p()), "no test without a difference");
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
