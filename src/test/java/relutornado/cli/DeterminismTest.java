package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism (docs/design.md, Determinism): the same seed gives bit-identical results on `java` and on
 * `java-parallel --cpu-kernels plain`, whatever the thread count; `java-parallel`'s vector kernels sum in
 * another order, so they differ from `java` in the last bits (a loss curve within {@link #LOSS_TOLERANCE}) but repeat
 * themselves exactly.
 */
class DeterminismTest {

    @TempDir
    Path tmp;

    /** Every result a run writes, without its timings and engine name: file -> content. */
    private Map<String, String> run(String name, String... flags) throws IOException {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "wdbc", "--data-dir", CliRuns.wdbcDataDir().toString(), "--out", out.toString(),
                "--folds", "2", "--epochs", "3", "--batch", "64", "--scale"));
        args.addAll(List.of(flags));
        assertEquals(0, Main.run(args.toArray(String[]::new)), name);
        Map<String, String> results = new LinkedHashMap<>();
        for (String file : List.of("metrics.csv", "confusion.csv", "predictions.csv")) {
            results.put(file, Files.readString(out.resolve(file)));
        }
        // folds.csv without epoch_seconds, val_seconds (and any later timing column)
        StringBuilder folds = new StringBuilder();
        for (String line : Files.readAllLines(out.resolve("folds.csv"))) {
            String[] cells = line.split(",", -1);
            folds.append(String.join(",", List.of(cells).subList(0, 7))).append('\n');
        }
        results.put("folds.csv", folds.toString());
        // result.csv without the columns that name the engine or time it
        List<String> result = Files.readAllLines(out.resolve("result.csv"));
        String[] names = result.get(0).split(",", -1);
        String[] cells = result.get(1).split(",", -1);
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (!List.of("engine", "device_kernels", "seconds").contains(names[i])) {
                kept.append(names[i]).append('=').append(cells[i]).append(',');
            }
        }
        results.put("result.csv", kept.toString());
        return results;
    }

    @Test
    void javaAndPlainParallelAreBitIdenticalForOneSeed() throws IOException {
        Map<String, String> java = run("java", "--seed", "7", "--engine", "java");
        assertEquals(java, run("java-again", "--seed", "7", "--engine", "java"), "java run twice");
        assertEquals(java, run("plain-2", "--seed", "7", "--engine", "java-parallel", "--cpu-kernels", "plain", "--threads", "2"),
                "java-parallel --cpu-kernels plain, 2 threads");
        assertEquals(java, run("plain-3", "--seed", "7", "--engine", "java-parallel", "--cpu-kernels", "plain", "--threads", "3"),
                "java-parallel --cpu-kernels plain, 3 threads");
        assertNotEquals(java.get("folds.csv"), run("seed-8", "--seed", "8", "--engine", "java").get("folds.csv"),
                "another seed must change the run, or this test proves nothing");
    }

    @Test
    void vectorKernelsRepeatThemselvesExactly() throws IOException {
        Map<String, String> vector = run("vector", "--seed", "7", "--engine", "java-parallel", "--threads", "2");
        assertEquals(vector, run("vector-again", "--seed", "7", "--engine", "java-parallel", "--threads", "2"));
        // against java: another summation order, so not bit-identical; the loss curves stay within what reordering explains
        Map<String, String> reference = run("java", "--seed", "7", "--engine", "java");
        double maxRel = maxRelativeDifference(reference.get("folds.csv"), vector.get("folds.csv"));
        System.err.printf(java.util.Locale.ROOT, "vector vs java: loss max relative difference %.3g (tolerance %.0e); predictions %s%n",
                maxRel, LOSS_TOLERANCE, reference.get("predictions.csv").equals(vector.get("predictions.csv")) ? "equal" : "differ");
        assertTrue(maxRel <= LOSS_TOLERANCE, "vector kernels' train/val loss vs java: max relative difference " + maxRel);
    }

    // reordered float32 sums differ by a few ulps; ~20 Adam steps grow that to well under 1e-5 (every GEMM tile forced):
    // 1e-4 leaves room for other hosts' orders, while a wrong kernel moves the loss by far more
    static final double LOSS_TOLERANCE = 1e-4;

    /** Largest |a - b| / max(1e-3, |a|) over the train_loss and val_loss cells of two folds.csv (timings dropped) that have the same rows. */
    static double maxRelativeDifference(String foldsA, String foldsB) {
        List<String> a = foldsA.lines().toList();
        List<String> b = foldsB.lines().toList();
        assertEquals(List.of("fold", "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "dead_output_rows"), List.of(a.get(0).split(",")));
        assertEquals(a.size(), b.size(), "rows of folds.csv");
        double maxRel = 0;
        for (int i = 1; i < a.size(); i++) {
            String[] x = a.get(i).split(",", -1);
            String[] y = b.get(i).split(",", -1);
            for (int column : new int[] {2, 4}) {
                assertEquals(x[column].isEmpty(), y[column].isEmpty(), "row " + i + " of folds.csv");
                if (!x[column].isEmpty()) {
                    double u = Double.parseDouble(x[column]);
                    double v = Double.parseDouble(y[column]);
                    // the floor keeps a loss of 0 from dividing by 0
                    maxRel = Math.max(maxRel, Math.abs(u - v) / Math.max(1e-3, Math.abs(u)));
                }
            }
        }
        return maxRel;
    }
}
