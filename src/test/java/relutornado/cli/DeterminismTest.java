package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
 * another order, so they differ from `java` in the last bits but repeat themselves exactly.
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
        // against java: not bit-identical (another summation order), printed for the reader
        Map<String, String> reference = run("java", "--seed", "7", "--engine", "java");
        double maxRel = 0;
        List<String> a = reference.get("folds.csv").lines().skip(1).toList();
        List<String> b = vector.get("folds.csv").lines().skip(1).toList();
        for (int i = 0; i < a.size(); i++) {
            double x = Double.parseDouble(a.get(i).split(",")[2]);
            double y = Double.parseDouble(b.get(i).split(",")[2]);
            maxRel = Math.max(maxRel, Math.abs(x - y) / Math.abs(x));
        }
        System.err.printf(java.util.Locale.ROOT, "vector vs java: train loss max relative difference %.3g over %d epochs;"
                + " predictions %s%n", maxRel, a.size(), reference.get("predictions.csv").equals(vector.get("predictions.csv")) ? "equal" : "differ");
    }
}
