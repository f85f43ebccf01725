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
import relutornado.metrics.Stats;
import relutornado.report.MarkdownTable;

/**
 * Markdown summary of JMH JSON results: kernels in GFLOP/s or GB/s (work counted by {@link KernelCase}),
 * training steps in samples/s, each with its ratio against the {@code java} engine of the same case; and the
 * dense GEMMs against OpenBLAS sgemm on the same shapes (numpy), and training steps against PyTorch CPU
 * (scripts/torch_bench.py), from rounds that scripts/bench.sh interleaves.
 * <pre>usage: BenchReport OUT.md [--round openblas.json gemm-jmh.json]... [--torch-round steps-jmh.json torch.json[,torch.json]...]...
 *        jmh-result.json...</pre>
 * A round is one OpenBLAS measurement and, right after it, one JMH run of the same shapes: the build machine
 * is a VM whose throughput drifts (docs/speed.md, Hosts), so only figures taken together make a ratio; the
 * summary gives each round's ratio and their median.
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

    /**
     * One interleaved round: OpenBLAS GFLOP/s by kernel name (the fastest of its NN, NT and TN storage forms, named in
     * {@code forms}), then the JMH results of our GEMMs on the same shapes.
     */
    record Round(Map<String, Double> openblas, Map<String, String> forms, List<Result> ours) {
    }

    /**
     * One PyTorch configuration in one round: its name (build, version and settings: OMP_WAIT_POLICY,
     * torch.set_num_threads) and samples/s by model (StepBenchmark's model names).
     */
    record Torch(String library, Map<String, Double> samplesPerSecond) {
    }

    /** One interleaved training-step round: our StepBenchmark results and every PyTorch's, measured together. */
    record TorchRound(List<Result> ours, List<Torch> torches) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: BenchReport OUT.md [--round openblas.json gemm-jmh.json]... jmh-result.json...");
        }
        Path out = Path.of(args[0]);
        String openblasInfo = null;
        List<Round> rounds = new ArrayList<>();
        List<TorchRound> torchRounds = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--round")) {
                if (i + 2 >= args.length) {
                    throw new IllegalArgumentException("--round needs two files: openblas.json gemm-jmh.json");
                }
                JsonObject o = JsonParser.parseString(Files.readString(Path.of(args[++i]))).getAsJsonObject();
                openblasInfo = o.get("library").getAsString() + ", " + threads(o.get("threads").getAsInt());
                Map<String, Double> blas = new LinkedHashMap<>();
                for (var e : o.getAsJsonObject("gflops").entrySet()) {
                    blas.put(e.getKey(), e.getValue().getAsDouble());
                }
                Map<String, String> forms = new LinkedHashMap<>();
                if (o.has("forms")) {
                    for (var e : o.getAsJsonObject("forms").entrySet()) {
                        forms.put(e.getKey(), e.getValue().getAsJsonObject().entrySet().stream()
                                .max(java.util.Comparator.comparingDouble(f -> f.getValue().getAsDouble())).orElseThrow().getKey());
                    }
                }
                rounds.add(new Round(blas, forms, read(Path.of(args[++i]))));
            } else if (args[i].equals("--torch-round")) {
                if (i + 2 >= args.length) {
                    throw new IllegalArgumentException("--torch-round needs two arguments: steps-jmh.json torch.json[,torch.json...]");
                }
                List<Result> ours = read(Path.of(args[++i]));
                List<Torch> torches = new ArrayList<>();
                for (String f : args[++i].split(",")) {
                    JsonObject o = JsonParser.parseString(Files.readString(Path.of(f))).getAsJsonObject();
                    Map<String, Double> sps = new LinkedHashMap<>();
                    for (var e : o.getAsJsonObject("samples_per_s").entrySet()) {
                        sps.put(e.getKey(), e.getValue().getAsDouble());
                    }
                    torches.add(new Torch(o.get("library").getAsString() + " " + o.get("version").getAsString() + ", "
                            + (o.has("settings") ? o.get("settings").getAsString() : threads(o.get("threads").getAsInt())), sps));
                }
                torchRounds.add(new TorchRound(ours, torches));
            } else {
                results.addAll(read(Path.of(args[i])));
            }
        }
        Files.writeString(out, markdown(results, rounds, openblasInfo, torchRounds));
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

    static String markdown(List<Result> results, List<Round> rounds, String openblasInfo, List<TorchRound> torchRounds) {
        StringBuilder md = new StringBuilder("# relu-tornado benchmarks\n\n");
        md.append("Ratios are against the sequential `java` engine of the same case in the same run; ± is JMH's 99.9 % interval.\n");
        if (!rounds.isEmpty()) {
            gemmAgainstOpenblas(md, rounds, openblasInfo);
        }
        if (!torchRounds.isEmpty()) {
            stepsAgainstTorch(md, torchRounds);
        }
        List<Result> kernels = results.stream().filter(r -> r.benchmark().startsWith("KernelBenchmark")).toList();
        if (!kernels.isEmpty()) {
            MarkdownTable table = new MarkdownTable(2, "kernel", "engine", "invocations/s", "throughput", "× java");
            for (Result r : kernels) {
                KernelCase c = KernelCase.of(r.param("kernel"));
                double java = baseline(kernels, r, "kernel");
                String throughput = c.flops() > 0
                        ? String.format(Locale.ROOT, "%.2f GFLOP/s", r.score() * c.flops() / 1e9)
                        : String.format(Locale.ROOT, "%.2f GB/s", r.score() * c.bytes() / 1e9);
                table.row(r.param("kernel"), r.engineLabel(), score(r), throughput, ratio(r.score(), java));
            }
            md.append("\n## Kernels\n\n").append(table);
        }
        List<Result> steps = results.stream().filter(r -> r.benchmark().startsWith("StepBenchmark")).toList();
        if (!steps.isEmpty()) {
            MarkdownTable table = new MarkdownTable(3, "model", "head", "engine", "steps/s", "samples/s", "× java");
            for (Result r : steps) {
                double java = baseline(steps, r, "model", "head");
                table.row(r.param("model"), r.param("head"), r.engineLabel(), score(r),
                        String.format(Locale.ROOT, "%.0f", r.score() * StepBenchmark.BATCH), ratio(r.score(), java));
            }
            md.append("\n## Training steps (batch ").append(StepBenchmark.BATCH).append(")\n\n").append(table);
        }
        return md.toString();
    }

    /**
     * Per dense kernel: our GFLOP/s and OpenBLAS's in each round, each round's ratio, and the median ratio (the
     * figure to quote: drift between rounds cancels within a round).
     */
    static void gemmAgainstOpenblas(StringBuilder md, List<Round> rounds, String openblasInfo) {
        md.append("\n## Dense GEMM against OpenBLAS, interleaved\n\n")
                .append("OpenBLAS: numpy's sgemm on the same products, each timed in its NN, NT and TN storage forms and the fastest ")
                .append("kept (the form named by round), ").append(openblasInfo).append("; each of the ")
                .append(rounds.size()).append(" rounds measures OpenBLAS, then ours (JMH) right after it.\n\n");
        MarkdownTable table = new MarkdownTable(5, "kernel", "engine", "ours GFLOP/s by round", "OpenBLAS GFLOP/s by round",
                "ours / OpenBLAS by round", "median", "OpenBLAS form by round");
        Map<String, List<double[]>> byCase = new LinkedHashMap<>(); // kernel + engine -> per round {ours, openblas}
        Map<String, List<String>> formsByCase = new LinkedHashMap<>();
        for (Round round : rounds) {
            for (Result r : round.ours()) {
                Double blas = round.openblas().get(r.param("kernel"));
                KernelCase c = KernelCase.of(r.param("kernel"));
                if (blas != null && c.flops() > 0) {
                    String key = r.param("kernel") + "\t" + r.engineLabel();
                    byCase.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.score() * c.flops() / 1e9, blas});
                    formsByCase.computeIfAbsent(key, k -> new ArrayList<>()).add(round.forms().getOrDefault(r.param("kernel"), "?"));
                }
            }
        }
        for (var e : byCase.entrySet()) {
            String[] key = e.getKey().split("\t");
            List<double[]> v = e.getValue();
            table.row(key[0], key[1], join(v, 0), join(v, 1),
                    String.join(", ", v.stream().map(x -> String.format(Locale.ROOT, "%.0f %%", 100 * x[0] / x[1])).toList()),
                    String.format(Locale.ROOT, "%.0f %%", 100 * Stats.median(v.stream().mapToDouble(x -> x[0] / x[1]).toArray())),
                    String.join(", ", formsByCase.get(e.getKey())));
        }
        md.append(table);
    }

    /**
     * Per model: our samples/s and the best PyTorch configuration's in each round, each round's ratio, the median ratio
     * and the configuration that won most rounds; then every configuration's median samples/s per model.
     */
    static void stepsAgainstTorch(StringBuilder md, List<TorchRound> rounds) {
        List<String> configs = rounds.get(0).torches().stream().map(Torch::library).toList();
        md.append("\n## Training step against PyTorch CPU, interleaved\n\n")
                .append("One step (forward, loss, backward, Adam) at batch ").append(StepBenchmark.BATCH)
                .append(", softmax head, the same models in PyTorch (scripts/torch_bench.py), in ").append(configs.size())
                .append(" configurations (build, OMP_WAIT_POLICY, torch.set_num_threads). Each of the ").append(rounds.size())
                .append(" rounds measures every configuration and ours right after each other; the ratio is to the fastest "
                        + "configuration of the round; the last column names the configuration with the highest median.\n\n");
        MarkdownTable table = new MarkdownTable(5, "model", "engine", "ours samples/s by round", "best PyTorch samples/s by round",
                "ours / best PyTorch by round", "median", "best PyTorch configuration");
        Map<String, List<double[]>> byModel = new LinkedHashMap<>(); // model + engine -> per round {ours, torch...}
        for (TorchRound round : rounds) {
            for (Result r : round.ours()) {
                double[] v = new double[1 + configs.size()];
                v[0] = r.score() * StepBenchmark.BATCH;
                for (int t = 0; t < configs.size(); t++) {
                    v[1 + t] = t < round.torches().size()
                            ? round.torches().get(t).samplesPerSecond().getOrDefault(r.param("model"), Double.NaN) : Double.NaN;
                }
                byModel.computeIfAbsent(r.param("model") + "\t" + r.engineLabel(), k -> new ArrayList<>()).add(v);
            }
        }
        Map<String, double[]> medians = new LinkedHashMap<>(); // model -> per configuration its median samples/s
        for (var e : byModel.entrySet()) {
            String[] key = e.getKey().split("\t");
            List<double[]> v = e.getValue();
            double[] best = v.stream().mapToDouble(BenchReport::fastest).toArray();
            int[] wins = new int[configs.size()];
            v.forEach(x -> wins[fastestIndex(x) - 1]++);
            // the configuration to name: the highest median over the rounds, with how many rounds it was the fastest in
            double[] med = java.util.stream.IntStream.range(0, configs.size())
                    .mapToDouble(t -> Stats.median(v.stream().mapToDouble(x -> x[1 + t]).toArray())).toArray();
            int winner = 0;
            for (int t = 1; t < med.length; t++) {
                winner = med[t] > med[winner] ? t : winner;
            }
            table.row(key[0], key[1], join(v, 0),
                    String.join(", ", java.util.Arrays.stream(best).mapToObj(x -> String.format(Locale.ROOT, "%.0f", x)).toList()),
                    String.join(", ", java.util.stream.IntStream.range(0, best.length)
                            .mapToObj(i -> String.format(Locale.ROOT, "%.2f×", v.get(i)[0] / best[i])).toList()),
                    String.format(Locale.ROOT, "%.2f×", Stats.median(java.util.stream.IntStream.range(0, best.length)
                            .mapToDouble(i -> v.get(i)[0] / best[i]).toArray())),
                    configs.get(winner) + " (fastest in " + wins[winner] + " of " + v.size() + " rounds)");
            medians.putIfAbsent(key[0], med);
        }
        md.append(table);
        md.append("\nEvery PyTorch configuration, median samples/s over the rounds:\n\n");
        List<String> models = new ArrayList<>(medians.keySet());
        List<String> header = new ArrayList<>(List.of("configuration"));
        header.addAll(models);
        MarkdownTable all = new MarkdownTable(1, header.toArray(String[]::new));
        for (int t = 0; t < configs.size(); t++) {
            List<String> row = new ArrayList<>(List.of(configs.get(t)));
            for (String m : models) {
                row.add(String.format(Locale.ROOT, "%.0f", medians.get(m)[t]));
            }
            all.row(row.toArray(String[]::new));
        }
        md.append(all);
    }

    /** The index (1..) of the largest PyTorch figure of a round, NaNs skipped; 1 when all are NaN. */
    private static int fastestIndex(double[] round) {
        int best = 1;
        for (int i = 1; i < round.length; i++) {
            if (!Double.isNaN(round[i]) && (Double.isNaN(round[best]) || round[i] > round[best])) {
                best = i;
            }
        }
        return best;
    }

    /** The largest of the PyTorch figures (entries 1..) of a round, NaNs skipped. */
    private static double fastest(double[] round) {
        double best = Double.NaN;
        for (int i = 1; i < round.length; i++) {
            if (!Double.isNaN(round[i]) && (Double.isNaN(best) || round[i] > best)) {
                best = round[i];
            }
        }
        return best;
    }

    private static String join(List<double[]> values, int index) {
        return String.join(", ", values.stream().map(x -> String.format(Locale.ROOT, "%.0f", x[index])).toList());
    }

    private static String threads(int n) {
        return n + (n == 1 ? " thread" : " threads");
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
