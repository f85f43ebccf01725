package relutornado.check;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import relutornado.engine.Engine;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelCases;
import relutornado.engine.KernelVariants;
import relutornado.engine.ParallelJavaEngine;
import relutornado.engine.tuning.CpuTile;
import relutornado.engine.tuning.JvmTuning;
import relutornado.engine.tuning.TuningFile;
import relutornado.engine.tuning.TuningFile.Tried;
import relutornado.io.AtomicFiles;
import relutornado.kernels.Dense;
import relutornado.model.Head;
import relutornado.model.Network;
import relutornado.train.TrainConfig;

/**
 * {@code relu-tornado tune --device java-parallel}: java-parallel's GEMM tile ({@link CpuTile}) by measurement. CpuGemm
 * fixes its tile when it loads, so each candidate runs in a child JVM (this java, class path and JVM flags, the tile's
 * {@code -Drelutornado.gemm.*}) that times {@link Tuner#shapes} (and a square GEMM) with device-check's timing
 * ({@link DeviceCheck#runsPerSecond(Engine.Session, String, double, Runnable)}) after checking each result against the
 * plain kernel on the JVM to {@link Tuner#TOLERANCE} of max(1, |value|). One tile runs for every shape, so the winner
 * is the tile with the least time for the products of one training step of each chosen model ({@link #RULE}); the
 * other shapes (evaluation batches, the PCA Gram, the square GEMM) are measured and kept in the file but not ranked.
 */
public final class JvmTuner {
    /** The --device word. */
    public static final String DEVICE = "java-parallel";
    /** How the winner is chosen, as the file says. */
    public static final String RULE = "least time for one training step's products of each model (calls per step x flops / GFLOP/s, summed)";
    /** The marker of a child's result lines. */
    private static final String RESULT = "tile-result\t";

    private JvmTuner() {
    }

    /**
     * What to tune.
     *
     * @param tuning   --tuning: the file written (updated in place when it is this CPU's)
     * @param models   --models: any of {@link Tuner#MODELS}
     * @param budget   --budget: minutes after which no further candidate tile starts (the width rule's always runs)
     * @param seconds  --seconds: time per shape after its warm-up run
     * @param threads  --threads: java-parallel's threads
     * @param gemmSize --gemm-size: an extra N×N×N GEMM measured (not ranked); 0 for none
     */
    public record Options(Path tuning, List<String> models, double budget, double seconds, int threads, int gemmSize) {
        public Options {
            if (models.isEmpty() || !Tuner.MODELS.containsAll(models)) {
                throw new IllegalArgumentException("--models must be some of " + Tuner.MODELS + ", got " + models);
            }
            if (!(budget > 0)) {
                throw new IllegalArgumentException("--budget must be > 0 minutes, got " + budget);
            }
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
            if (gemmSize < 0) {
                throw new IllegalArgumentException("--gemm-size must be >= 0, got " + gemmSize);
            }
            models = List.copyOf(models);
        }
    }

    /** The models' product shapes and, when gemmSize > 0, a square dense GEMM of that size; deep products scaled ({@link Tuner#scaleDeep}). */
    static List<Tuner.Shape> shapes(List<String> models, int gemmSize) {
        List<Tuner.Shape> out = new ArrayList<>(Tuner.shapes(models));
        if (gemmSize > 0) {
            int n = gemmSize;
            Random r = new Random(13);
            KernelCall g = KernelCall.of("gemm", Dense.class, "forward", new float[n * n], KernelCases.rnd(r, n * n, Tuner.SCALE),
                    KernelCases.rnd(r, n * n + n, Tuner.SCALE / 8), 0, n * n, n, n, 0, n);
            out.addAll(Tuner.scaleDeep(List.of(new Tuner.Shape(KernelCall.describe(g.method()), KernelVariants.product(g).orElseThrow(), g))));
        }
        return out;
    }

    /** Per shape key, how often one training step of each model runs it (the ranking's weights). */
    static Map<String, Integer> stepCalls(List<String> models) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String m : models) {
            Network net = new Network(DeviceCheck.model(m.equals("cnn") ? "cnn-pca" : m, Head.SOFTMAX), TrainConfig.BATCH);
            for (KernelCall c : net.program().phase(Network.TRAIN)) {
                KernelVariants.product(c).ifPresent(p -> out.merge(KernelCall.describe(c.method()) + " " + p, 1, Integer::sum));
            }
        }
        return out;
    }

    /** Tunes the tile and writes (merges into) the tuning file; the file as written. */
    public static TuningFile run(Options o, PrintStream log) throws IOException, InterruptedException {
        if (!ParallelJavaEngine.vectorApiPresent()) {
            throw new IllegalStateException("tune --device java-parallel needs the Vector API: start Java with --add-modules "
                    + ParallelJavaEngine.VECTOR_MODULE + " (scripts/relu-tornado does)");
        }
        TuningFile.Device host = JvmTuning.host();
        List<CpuTile> tiles = CpuTile.candidates(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
        List<Tuner.Shape> shapes = shapes(o.models(), o.gemmSize());
        Map<String, Integer> weights = stepCalls(o.models());
        log.printf(Locale.ROOT, "tune java-parallel (%s, %s, %d threads): %d shapes, %d candidate tiles, budget %.1f min%n",
                host.hostCpu(), host.driverVersion(), o.threads(), shapes.size(), tiles.size(), o.budget());
        Path scratch = Files.createTempDirectory("relu-tornado-tune-jvm");
        Map<CpuTile, List<Tried>> byTile = new LinkedHashMap<>();
        try {
            Path expected = scratch.resolve("expected.bin");
            log.println("the plain kernels' results on the JVM, to check each tile against...");
            writeExpected(expected, shapes, o.threads());
            long t0 = System.nanoTime();
            for (CpuTile tile : tiles) {
                if (!byTile.isEmpty() && (System.nanoTime() - t0) / 6e10 > o.budget()) {
                    log.printf(Locale.ROOT, "budget of %.1f min reached after %d of %d tiles%n", o.budget(), byTile.size(), tiles.size());
                    break;
                }
                List<Tried> tried = child(o, tile, shapes, expected, scratch);
                byTile.put(tile, tried);
                Tried step = stepRate(tile, shapes, tried, weights);
                Tried best = overall(byTile, shapes, weights).stream().filter(t -> t.gflops() != null).findFirst().orElse(null);
                log.printf(Locale.ROOT, "[%d/%d] %s: %s  (best %s)%n", byTile.size(), tiles.size(), tile,
                        step.error() != null ? "✗ " + step.error() : String.format(Locale.ROOT, "training-step products %.2f GFLOP/s", step.gflops()),
                        best == null ? "none yet" : CpuTile.of(best.candidate()) + String.format(Locale.ROOT, " %.2f", best.gflops()));
            }
        } finally {
            Tuner.deleteScratch(scratch);
        }
        List<TuningFile.Shape> measured = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            List<Tried> perShape = new ArrayList<>();
            for (List<Tried> t : byTile.values()) {
                perShape.add(t.get(i));
            }
            TuningFile.Shape m = TuningFile.Shape.of(shapes.get(i).kernel(), shapes.get(i).product(), perShape);
            if (m != null) {
                measured.add(m);
            }
        }
        for (int i = 0; i < shapes.size(); i++) {
            int at = i;
            if (weights.containsKey(shapes.get(i).key()) && byTile.values().stream().allMatch(t -> t.get(at).error() != null)) {
                log.printf(Locale.ROOT, "no tile passed the check on %s (%s): left out of the ranking%n", shapes.get(i).key(),
                        byTile.values().iterator().next().get(i).error());
            }
        }
        List<Tried> ranked = overall(byTile, shapes, weights);
        if (ranked.isEmpty() || ranked.get(0).gflops() == null) {
            throw new IllegalStateException("no candidate tile ran every training-step shape: " + ranked);
        }
        TuningFile.Overall result = new TuningFile.Overall(ranked.get(0).candidate(), RULE, ranked);
        TuningFile written = new TuningFile(TuningFile.FORMAT, host, Instant.now().toString(), measured, result).writeMerged(o.tuning());
        log.println("training-step products, per tile (fastest first):");
        for (Tried t : ranked) {
            log.printf(Locale.ROOT, "  %-45s %s%n", CpuTile.of(t.candidate()),
                    t.gflops() == null ? "✗ " + t.error() : String.format(Locale.ROOT, "%8.2f GFLOP/s", t.gflops()));
        }
        log.printf(Locale.ROOT, "wrote %s: winner %s (%d shapes measured)%n", o.tuning(), CpuTile.of(result.winner()), measured.size());
        return written;
    }

    /**
     * Every tile's training-step rate, fastest first, tiles with an error last. A shape on which no tile passed the
     * check leaves the ranking (it is said, and its errors are in the file) rather than fail every tile.
     */
    private static List<Tried> overall(Map<CpuTile, List<Tried>> byTile, List<Tuner.Shape> shapes, Map<String, Integer> weights) {
        Map<String, Integer> ranked = new LinkedHashMap<>(weights);
        for (int i = 0; i < shapes.size(); i++) {
            int at = i;
            if (byTile.values().stream().allMatch(t -> t.get(at).error() != null)) {
                ranked.remove(shapes.get(i).key());
            }
        }
        List<Tried> out = new ArrayList<>();
        byTile.forEach((tile, tried) -> out.add(stepRate(tile, shapes, tried, ranked)));
        out.sort(Comparator.comparing((Tried t) -> t.gflops() == null).thenComparing(t -> t.gflops() == null ? 0 : -t.gflops()));
        return out;
    }

    /** A tile's GFLOP/s over one training step's products (total flops ÷ total time), or the first error on one of them. */
    static Tried stepRate(CpuTile tile, List<Tuner.Shape> shapes, List<Tried> tried, Map<String, Integer> weights) {
        double flops = 0;
        double seconds = 0;
        for (int i = 0; i < shapes.size(); i++) {
            Integer calls = weights.get(shapes.get(i).key());
            if (calls == null) {
                continue;
            }
            Tried t = tried.get(i);
            if (t.error() != null) {
                return new Tried(tile.candidate(), null, shapes.get(i).key() + ": " + t.error());
            }
            double f = (double) calls * shapes.get(i).product().flops();
            flops += f;
            seconds += f / (t.gflops() * 1e9);
        }
        return seconds > 0 ? new Tried(tile.candidate(), flops / seconds / 1e9, null) : new Tried(tile.candidate(), null, "no training-step shape");
    }

    /**
     * The plain kernels' results (where they wrote; NaN elsewhere), per shape, for the children to check against: on
     * java-parallel with plain kernels, the java engine's bits on {@code threads} threads.
     */
    private static void writeExpected(Path file, List<Tuner.Shape> shapes, int threads) throws IOException {
        try (ParallelJavaEngine plain = new ParallelJavaEngine(threads, false)) {
            AtomicFiles.write(file, os -> {
                DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os));
                for (Tuner.Shape s : shapes) {
                    float[][] want = Tuner.written(Tuner.outputs(s.call().args()), Tuner.outputs(Tuner.runOn(plain, Tuner.copy(s.call()))));
                    out.writeInt(want.length);
                    for (float[] w : want) {
                        out.writeInt(w.length);
                        for (float v : w) {
                            out.writeFloat(v);
                        }
                    }
                }
                out.flush();
            });
        }
    }

    private static List<float[][]> readExpected(Path file, int shapes) throws IOException {
        List<float[][]> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            for (int s = 0; s < shapes; s++) {
                float[][] w = new float[in.readInt()][];
                for (int i = 0; i < w.length; i++) {
                    w[i] = new float[in.readInt()];
                    for (int j = 0; j < w[i].length; j++) {
                        w[i][j] = in.readFloat();
                    }
                }
                out.add(w);
            }
        }
        return out;
    }

    /** One tile measured in a child JVM; a child that fails gives every shape its error. */
    private static List<Tried> child(Options o, CpuTile tile, List<Tuner.Shape> shapes, Path expected, Path scratch)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-Drelutornado.gemm.")).toList();
        if (!String.join(" ", jvm).contains(ParallelJavaEngine.VECTOR_MODULE)) {
            cmd.addAll(List.of("--add-modules", ParallelJavaEngine.VECTOR_MODULE));
        }
        cmd.addAll(jvm);
        tile.properties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), String.join(",", o.models()),
                Integer.toString(o.gemmSize()), Double.toString(o.seconds()), Integer.toString(o.threads()), expected.toString()));
        Path log = scratch.resolve("child.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Map<Integer, Tried> got = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith(RESULT)) {
                String[] f = line.split("\t", 4);
                int i = Integer.parseInt(f[1]);
                got.put(i, f[2].equals("-") ? new Tried(tile.candidate(), null, f[3]) : new Tried(tile.candidate(), Double.parseDouble(f[2]), null));
            }
        }
        String failure = "child JVM exited with " + (p.isAlive() ? "a time-out" : p.exitValue()) + ": "
                + text.lines().filter(l -> !l.startsWith(RESULT) && !l.isBlank()).reduce((a, b) -> b).orElse("no output");
        List<Tried> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            out.add(got.getOrDefault(i, new Tried(tile.candidate(), null, failure)));
        }
        return out;
    }

    /**
     * The child JVM: args models, gemm size, seconds, threads, expected-results file. Prints one result line per shape:
     * index, GFLOP/s (or '-') and the error.
     */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            List<String> models = List.of(args[0].split(","));
            List<Tuner.Shape> shapes = shapes(models, Integer.parseInt(args[1]));
            double seconds = Double.parseDouble(args[2]);
            int threads = Integer.parseInt(args[3]);
            List<float[][]> expected = readExpected(Path.of(args[4]), shapes.size());
            CpuTile wanted = new CpuTile(Integer.getInteger(relutornado.kernels.CpuGemm.BITS_PROPERTY),
                    Integer.getInteger(relutornado.kernels.CpuGemm.ROWS_PROPERTY), Integer.getInteger(relutornado.kernels.CpuGemm.COLS_PROPERTY),
                    Integer.getInteger(relutornado.kernels.CpuGemm.KC_PROPERTY));
            if (!CpuTile.inUse().equals(wanted)) {
                throw new IllegalStateException("CpuGemm runs " + CpuTile.inUse() + ", not the tile asked for, " + wanted);
            }
            try (ParallelJavaEngine engine = new ParallelJavaEngine(threads, true)) {
                for (int i = 0; i < shapes.size(); i++) {
                    Tuner.Shape s = shapes.get(i);
                    String result;
                    try {
                        KernelCall call = Tuner.copy(s.call());
                        try (Engine.Session session = engine.open(DeviceCheck.single(call))) {
                            session.run("run");
                            double err = Tuner.maxError(expected.get(i), Tuner.outputs(call.args()));
                            if (!(err <= Tuner.TOLERANCE)) {
                                result = String.format(Locale.ROOT, "-\tdiffers from the plain kernel by %.3g of max(1, |value|)", err);
                            } else {
                                double perSecond = DeviceCheck.runsPerSecond(session, "run", seconds, null);
                                result = (perSecond * s.product().flops() / 1e9) + "\t";
                            }
                        }
                    } catch (RuntimeException e) {
                        result = "-\t" + e;
                    }
                    System.out.println(RESULT + i + "\t" + result.replace('\n', ' '));
                }
            }
        }
    }
}
