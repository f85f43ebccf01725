package relutornado.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Markdown summary of JMH JSON results: kernels in GFLOP/s or GB/s (work counted by {@link KernelCase}),
 * training steps in samples/s, each with its ratio against the {@code java} engine of the same case and,
 * for the dense kernels, against OpenBLAS sgemm on the same shapes (numpy, measured by scripts/bench.sh).
 * <pre>usage: BenchReport OUT.md [--openblas openblas.json] jmh-result.json...</pre>
 */
public final class BenchReport {
    private BenchReport() {
    }

    /** One JMH result: benchmark class, parameters, score (ops/s) and its 99.9 % error. */
    record Result(String benchmark, Map<String, String> params, double score, double error) {
        String param(String name) {
            return params.getOrDefault(name, "");
        }

        String engineLabel() {
            return param("engine") + (param("device").isEmpty() ? "" : " " + param("device"));
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: BenchReport OUT.md [--openblas openblas.json] jmh-result.json...");
        }
        Path out = Path.of(args[0]);
        Map<String, Double> openblas = new LinkedHashMap<>();
        String openblasInfo = null;
        List<Result> results = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--openblas")) {
                JsonObject o = JsonParser.parseString(Files.readString(Path.of(args[++i]))).getAsJsonObject();
                openblasInfo = o.get("library").getAsString() + ", " + o.get("threads").getAsInt() + " threads";
                for (var e : o.getAsJsonObject("gflops").entrySet()) {
                    openblas.put(e.getKey(), e.getValue().getAsDouble());
                }
            } else {
                results.addAll(read(Path.of(args[i])));
            }
        }
        Files.writeString(out, markdown(results, openblas, openblasInfo));
        System.out.println("wrote " + out);
    }

    static List<Result> read(Path json) throws IOException {
        JsonElement root = JsonParser.parseString(Files.readString(json));
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException(json + ": not a JMH JSON result (expected an array)");
        }
        List<Result> list = new ArrayList<>();
        for (JsonElement e : (JsonArray) root) {
            JsonObject o = e.getAsJsonObject();
            String bench = o.get("benchmark").getAsString();
            Map<String, String> params = new LinkedHashMap<>();
            if (o.has("params")) {
                for (var p : o.getAsJsonObject("params").entrySet()) {
                    params.put(p.getKey(), p.getValue().getAsString());
                }
            }
            JsonObject metric = o.getAsJsonObject("primaryMetric");
            double error = metric.get("scoreError").isJsonPrimitive() && metric.get("scoreError").getAsJsonPrimitive().isNumber()
                    ? metric.get("scoreError").getAsDouble() : Double.NaN;
            list.add(new Result(bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1), params,
                    metric.get("score").getAsDouble(), error));
        }
        return list;
    }

    static String markdown(List<Result> results, Map<String, Double> openblas, String openblasInfo) {
        StringBuilder md = new StringBuilder("# relu-tornado benchmarks\n\n");
        md.append("Ratios are against the sequential `java` engine of the same case in the same run; ± is JMH's 99.9 % interval.\n");
        if (openblasInfo != null) {
            md.append("OpenBLAS: numpy's sgemm on the same shapes, ").append(openblasInfo).append(".\n");
        }
        List<Result> kernels = results.stream().filter(r -> r.benchmark().startsWith("KernelBenchmark")).toList();
        if (!kernels.isEmpty()) {
            md.append("\n## Kernels\n\n| kernel | engine | invocations/s | throughput | × java | OpenBLAS GFLOP/s | % of OpenBLAS |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|\n");
            for (Result r : kernels) {
                KernelCase c = KernelCase.of(r.param("kernel"));
                double java = baseline(kernels, r, "kernel");
                String throughput = c.flops() > 0
                        ? String.format(Locale.ROOT, "%.2f GFLOP/s", r.score() * c.flops() / 1e9)
                        : String.format(Locale.ROOT, "%.2f GB/s", r.score() * c.bytes() / 1e9);
                Double blas = openblas.get(r.param("kernel"));
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", r.param("kernel"), r.engineLabel(),
                        score(r), throughput, ratio(r.score(), java), blas == null ? "" : String.format(Locale.ROOT, "%.1f", blas),
                        blas == null || c.flops() == 0 ? "" : String.format(Locale.ROOT, "%.0f %%", 100 * r.score() * c.flops() / 1e9 / blas)));
            }
        }
        List<Result> steps = results.stream().filter(r -> r.benchmark().startsWith("StepBenchmark")).toList();
        if (!steps.isEmpty()) {
            md.append("\n## Training steps (batch ").append(StepBenchmark.BATCH).append(")\n\n")
                    .append("| model | head | engine | steps/s | samples/s | × java |\n|---|---|---|---:|---:|---:|\n");
            for (Result r : steps) {
                double java = baseline(steps, r, "model", "head");
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f | %s |%n", r.param("model"), r.param("head"),
                        r.engineLabel(), score(r), r.score() * StepBenchmark.BATCH, ratio(r.score(), java)));
            }
        }
        return md.toString();
    }

    /** The java engine's score for the same values of the given parameters, NaN if not measured. */
    static double baseline(List<Result> results, Result r, String... same) {
        return results.stream().filter(o -> o.param("engine").equals("java")
                        && java.util.Arrays.stream(same).allMatch(p -> o.param(p).equals(r.param(p))))
                .mapToDouble(Result::score).findFirst().orElse(Double.NaN);
    }

    private static String score(Result r) {
        return Double.isNaN(r.error()) ? String.format(Locale.ROOT, "%.4g", r.score())
                : String.format(Locale.ROOT, "%.4g ± %.2g", r.score(), r.error());
    }

    private static String ratio(double score, double java) {
        return Double.isNaN(java) ? "" : String.format(Locale.ROOT, "%.2f×", score / java);
    }
}
