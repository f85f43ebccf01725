package relutornado.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    static final String KERNEL = "dense_fwd_256x256x512";

    /** JMH's JSON for one KernelBenchmark result of java-parallel at a rate that gives {@code gflops}. */
    static String jmh(double gflops) {
        double score = gflops * 1e9 / KernelCase.of(KERNEL).flops();
        return String.format(Locale.ROOT, """
                [{"benchmark": "relutornado.bench.KernelBenchmark.run",
                  "params": {"kernel": "%s", "engine": "java-parallel", "device": ""},
                  "primaryMetric": {"score": %.12f, "scoreError": 0.5}}]""", KERNEL, score);
    }

    /** openblas_bench.py's JSON: the fastest form's GFLOP/s, and every form's (NT the fastest unless {@code nn} is more). */
    static String openblas(double gflops, double nn) {
        return String.format(Locale.ROOT, """
                {"library": "numpy 2, scipy-openblas 0.3", "threads": 2, "gflops": {"%1$s": %2$.1f},
                 "forms": {"%1$s": {"NN": %3$.1f, "NT": %2$.1f, "TN": 1.0}}}""", KERNEL, Math.max(gflops, nn), nn);
    }

    static String openblas(double gflops) {
        return openblas(gflops, 0.5);
    }

    @Test
    void eachRoundIsOursOverTheOpenblasOfTheSameRoundAndTheSummaryIsTheirMedian(@TempDir Path tmp) throws IOException {
        // rounds at different machine speeds: 80/100, 120/1000 (NN fastest that round), 90/100 -> 80 %, 12 %, 90 %; median 80 %
        double[][] rounds = {{80, 100}, {120, 1000}, {90, 100}};
        String[] args = new String[1 + 3 * rounds.length];
        args[0] = tmp.resolve("summary.md").toString();
        for (int r = 0; r < rounds.length; r++) {
            // round 2: NN as fast as the best form, and named
            Path blas = Files.writeString(tmp.resolve("openblas-" + r + ".json"), openblas(rounds[r][1], r == 1 ? 1000 : 0.5));
            Path ours = Files.writeString(tmp.resolve("gemm-" + r + ".json"), jmh(rounds[r][0]));
            args[1 + 3 * r] = "--round";
            args[2 + 3 * r] = blas.toString();
            args[3 + 3 * r] = ours.toString();
        }
        BenchReport.main(args);
        String md = Files.readString(tmp.resolve("summary.md"));
        String row = md.lines().filter(l -> l.startsWith("| " + KERNEL + " |")).findFirst().orElseThrow(() -> new AssertionError(md));
        assertEquals("| " + KERNEL + " | java-parallel | 80, 120, 90 | 100, 1000, 100 | 80 %, 12 %, 90 % | 80 % | NT, NN, NT |", row);
        assertTrue(md.contains("3 rounds"), md);
    }

    /** JMH's JSON for one StepBenchmark result of java-parallel at {@code samples} samples/s. */
    static String steps(String model, double samples) {
        return String.format(Locale.ROOT, """
                [{"benchmark": "relutornado.bench.StepBenchmark.trainStep",
                  "params": {"model": "%s", "engine": "java-parallel", "head": "softmax", "device": ""},
                  "primaryMetric": {"score": %.12f, "scoreError": 0.5}}]""", model, samples / StepBenchmark.BATCH);
    }

    static String torch(String label, String version, String model, double samples) {
        return String.format(Locale.ROOT, """
                {"library": "%s", "version": "%s", "threads": 2, "settings": "OMP_WAIT_POLICY=PASSIVE, set_num_threads(2)",
                 "samples_per_s": {"%s": %.1f}}""", label, version, model, samples);
    }

    @Test
    void eachTorchRoundIsOursOverTheFasterPytorchOfThatRound(@TempDir Path tmp) throws IOException {
        // round 1: ours 3000, Debian 5000, wheel 8000 -> 0.375; round 2: ours 4000, Debian 5000, wheel 4000 -> 0.80 (Debian faster)
        double[][] rounds = {{3000, 5000, 8000}, {4000, 5000, 4000}};
        String[] args = new String[1 + 3 * rounds.length];
        args[0] = tmp.resolve("summary.md").toString();
        for (int r = 0; r < rounds.length; r++) {
            Path ours = Files.writeString(tmp.resolve("steps-" + r + ".json"), steps("cnn-pca", rounds[r][0]));
            Path debian = Files.writeString(tmp.resolve("torch-0-" + r + ".json"), torch("Debian python3-torch", "1.13.1", "cnn-pca", rounds[r][1]));
            Path wheel = Files.writeString(tmp.resolve("torch-1-" + r + ".json"), torch("pip wheel", "2.13.0+cpu", "cnn-pca", rounds[r][2]));
            args[1 + 3 * r] = "--torch-round";
            args[2 + 3 * r] = ours.toString();
            args[3 + 3 * r] = debian + "," + wheel;
        }
        BenchReport.main(args);
        String md = Files.readString(tmp.resolve("summary.md"));
        String row = md.lines().filter(l -> l.startsWith("| cnn-pca |")).findFirst().orElseThrow(() -> new AssertionError(md));
        assertEquals("| cnn-pca | java-parallel | 3000, 4000 | 8000, 5000 | 0.38×, 0.80× | 0.59× | "
                + "pip wheel 2.13.0+cpu, OMP_WAIT_POLICY=PASSIVE, set_num_threads(2) (fastest in 1 of 2 rounds) |", row);
        assertTrue(md.contains("| Debian python3-torch 1.13.1, OMP_WAIT_POLICY=PASSIVE, set_num_threads(2) | 5000 |"), md);
        assertTrue(md.contains("| pip wheel 2.13.0+cpu, OMP_WAIT_POLICY=PASSIVE, set_num_threads(2) | 6000 |"), md);
    }

    @Test
    void aRoundWithoutItsJmhFileIsAClearError(@TempDir Path tmp) throws IOException {
        Path blas = Files.writeString(tmp.resolve("openblas.json"), openblas(100));
        var e = assertThrows(IllegalArgumentException.class,
                () -> BenchReport.main(new String[] {tmp.resolve("s.md").toString(), "--round", blas.toString()}));
        assertTrue(e.getMessage().contains("--round needs two files"), e.getMessage());
    }
}
