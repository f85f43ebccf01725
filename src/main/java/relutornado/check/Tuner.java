package relutornado.check;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import relutornado.engine.KernelCases;
import relutornado.engine.DeviceInfo;
import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.engine.JavaEngine;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.Program;
import relutornado.engine.tuning.Candidates;
import relutornado.engine.tuning.TunedKernels;
import relutornado.engine.tuning.TuningFile;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.engine.tuning.TuningFile.Tried;
import relutornado.io.AtomicFiles;
import relutornado.kernels.Linalg;
import relutornado.model.Head;
import relutornado.model.Network;
import relutornado.preprocess.Pca;
import relutornado.train.TrainConfig;

/**
 * {@code relu-tornado tune}, as CLBlast's tuner: for every product shape the chosen models run (each dense layer's
 * forward, backward to input and backward to weights, each convolution's three products, the PCA Gram) every candidate
 * of {@link Candidates} (the plain kernel among them) is run once on the device and checked against the JVM, then timed
 * by device-check's timing ({@link DeviceCheck#runsPerSecond(Engine.Session, String, double, Runnable)}); a candidate
 * that fails or differs by more than {@link #TOLERANCE} of max(1, |value|) is kept with its error, the fastest wins.
 * Each candidate runs through the engine's own path for a tuning file (a one-shape file that names it), and the
 * engine's record must say it ran. The first round gives every shape its plain kernel and each family's default (where
 * it does not fit the shape, the family's fitting values nearest it), so that a budget cut still leaves every shape a
 * winner in every family; later rounds take the other candidates shape by shape.
 */
public final class Tuner {
    /** The models: the MNIST FFNN, the paper's CNN on 16×16 PCA input, the CNN on 28×28 pixels. */
    public static final List<String> MODELS = List.of("ffnn", "cnn", "cnn-pixels");
    /** A candidate's largest accepted difference from the JVM, relative to max(1, |value|). */
    public static final double TOLERANCE = 1e-5;
    /** Magnitude of the random operands. */
    static final double SCALE = 0.25;

    private Tuner() {
    }

    /**
     * What to tune.
     *
     * @param device  --device: TornadoVM BACKEND:DEVICE
     * @param tuning  --tuning: the file written (updated in place when it holds this device)
     * @param models  --models: any of {@link #MODELS}
     * @param budget  --budget: minutes after which no further candidate starts
     * @param seconds --seconds: time per candidate after its warm-up runs
     */
    public record Options(String device, Path tuning, List<String> models, double budget, double seconds) {
        public Options {
            new EngineOptions("tornado", device, 1, false, "vector", DeviceKernels.TUNED); // validates the B:D form
            if (models.isEmpty() || !MODELS.containsAll(models)) {
                throw new IllegalArgumentException("--models must be some of " + MODELS + ", got " + models);
            }
            if (!(budget > 0)) {
                throw new IllegalArgumentException("--budget must be > 0 minutes, got " + budget);
            }
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
            }
            models = List.copyOf(models);
        }
    }

    /** One product shape and a call of it over seeded random arrays. */
    public record Shape(String kernel, Product product, KernelCall call) {
        String key() {
            return kernel + " " + product;
        }
    }

    /**
     * The distinct (kernel, product) shapes of the models' training and evaluation programs (batch {@link TrainConfig#BATCH}), and
     * the PCA Gram, deep products scaled ({@link #scaleDeep}).
     */
    public static List<Shape> shapes(List<String> models) {
        return scaleDeep(unscaledShapes(models));
    }

    /** As {@link #shapes}, before the deep products are scaled. */
    static List<Shape> unscaledShapes(List<String> models) {
        Map<String, Shape> out = new LinkedHashMap<>();
        Random r = new Random(11);
        for (String m : models) {
            Network net = new Network(DeviceCheck.model(m.equals("cnn") ? "cnn-pca" : m, Head.SOFTMAX), TrainConfig.BATCH);
            Program p = net.program();
            for (String phase : p.phases().keySet()) {
                for (KernelCall c : p.phase(phase)) {
                    KernelVariants.product(c).ifPresent(prod -> {
                        Shape s = new Shape(KernelCall.describe(c.method()), prod, randomised(c, r));
                        out.putIfAbsent(s.key(), s);
                    });
                }
            }
        }
        int f = 784;
        KernelCall gram = KernelCall.of("gram", Linalg.class, "gramAccumulate", new float[f * f], KernelCases.rnd(r, Pca.CHUNK * f, SCALE), Pca.CHUNK, f, 0, f);
        Shape g = new Shape(KernelCall.describe(gram.method()), KernelVariants.product(gram).orElseThrow(), gram);
        out.putIfAbsent(g.key(), g);
        return new ArrayList<>(out.values());
    }

    /** Products deeper than this have their operands scaled down for the check ({@link #scaleDeep}). */
    static final int SCALED_DEPTH = 512;

    /**
     * Scales the operands of each product deeper than {@link #SCALED_DEPTH} by √(SCALED_DEPTH / depth), its terms by
     * SCALED_DEPTH / depth: the rounding of a float sum grows with its depth, and over the paper CNN's 36,864-term conv
     * backward to weights the plain kernel's own rounding (on the JVM, and the device's plain kernel against it) exceeded
     * the tolerance, absolute below 1. A wrong candidate still differs by the size of the values. Returns the shapes.
     */
    static List<Shape> scaleDeep(List<Shape> shapes) {
        for (Shape s : shapes) {
            if (s.product().depth() > SCALED_DEPTH) {
                float f = (float) Math.sqrt((double) SCALED_DEPTH / s.product().depth());
                java.util.Set<float[]> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
                for (Object a : s.call().args()) {
                    if (a instanceof float[] x && seen.add(x)) {
                        for (int i = 0; i < x.length; i++) {
                            x[i] *= f;
                        }
                    }
                }
            }
        }
        return shapes;
    }

    /**
     * The call over fresh arrays of the same sizes with values in [-{@value #SCALE}, {@value #SCALE}] (aliased arguments stay
     * aliased): sums of a few hundred such products stay near 1, where the tolerance is absolute.
     */
    static KernelCall randomised(KernelCall c, Random r) {
        Map<Object, Object> fresh = new IdentityHashMap<>();
        Object[] args = c.args();
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof float[] x) {
                args[i] = fresh.computeIfAbsent(x, k -> KernelCases.rnd(r, x.length, SCALE));
            } else if (args[i] instanceof int[] x) {
                args[i] = fresh.computeIfAbsent(x, k -> x.clone());
            }
        }
        return new KernelCall(c.name(), c.method(), args);
    }

    /** The call over copies of its arrays. */
    static KernelCall copy(KernelCall c) {
        Map<Object, Object> fresh = new IdentityHashMap<>();
        Object[] args = c.args();
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof float[] x) {
                args[i] = fresh.computeIfAbsent(x, k -> x.clone());
            } else if (args[i] instanceof int[] x) {
                args[i] = fresh.computeIfAbsent(x, k -> x.clone());
            }
        }
        return new KernelCall(c.name(), c.method(), args);
    }

    /**
     * The candidates in the order they are timed. Round 1: plain and each family's defaults for every shape (where the
     * defaults do not fit the shape, the family's fitting candidate nearest them). Round 2:
     * the rest of the device's own family (vector on a CPU device, tiles elsewhere: the default rule's) for every shape;
     * round 3: the other families. Within a round the shapes that weigh most in a training step of the models come
     * first (calls per step × flops), evaluation-only shapes and the Gram last; so a budget cut leaves every shape
     * swept in the family most likely to win before any shape's long tail of work-group sizes.
     */
    static List<Map.Entry<Shape, Candidate>> work(List<Shape> shapes, List<String> models, long maxGroup, Family own) {
        List<Map.Entry<Shape, Candidate>> first = new ArrayList<>();
        List<Map.Entry<Shape, Candidate>> rest = new ArrayList<>();
        for (Shape s : shapes) {
            List<Candidate> all = Candidates.forDevice(s.call().method(), s.product(), maxGroup);
            List<Candidate> firsts = roundOne(s, all);
            for (Candidate c : all) {
                (firsts.contains(c) ? first : rest).add(Map.entry(s, c));
            }
        }
        Map<String, Integer> calls = JvmTuner.stepCalls(models);
        // a stable sort: each shape's candidates keep their order, shapes of equal weight the models' order
        rest.sort(java.util.Comparator.comparingInt((Map.Entry<Shape, Candidate> e) -> e.getValue().familyValue() == own ? 0 : 1)
                .thenComparingDouble(e -> -stepWeight(e.getKey(), calls)));
        List<Map.Entry<Shape, Candidate>> work = new ArrayList<>(first);
        work.addAll(rest);
        return work;
    }

    /** A shape's floating-point work in one training step of the models: calls per step × 2·rows·cols·depth. */
    static double stepWeight(Shape s, Map<String, Integer> callsPerStep) {
        Product p = s.product();
        return callsPerStep.getOrDefault(s.key(), 0) * 2.0 * p.rows() * p.cols() * p.depth();
    }

    /** Tunes the device and writes (merges into) the tuning file; the file as written. */
    public static TuningFile run(Options o, PrintStream log) throws IOException {
        DeviceInfo info = deviceInfo(o.device());
        TuningFile.Device device = info.tuningDevice();
        long maxGroup = info.maxWorkGroup() > 0 ? info.maxWorkGroup() : 256;
        List<Shape> shapes = shapes(o.models());
        List<Map.Entry<Shape, Candidate>> work = work(shapes, o.models(), maxGroup, TunedKernels.defaultFamily("CPU".equalsIgnoreCase(info.type())));
        log.printf(Locale.ROOT, "tune %s (%s, driver %s; host %s): %d shapes, %d candidates, budget %.1f min%n", o.device(), device.name(),
                device.driverVersion(), device.hostCpu(), shapes.size(), work.size(), o.budget());

        Path scratch = Files.createTempDirectory("relu-tornado-tune");
        Map<String, float[][]> expected = new LinkedHashMap<>();
        Map<String, List<Tried>> tried = new LinkedHashMap<>();
        shapes.forEach(s -> tried.put(s.key(), new ArrayList<>()));
        long t0 = System.nanoTime();
        int done = 0;
        try {
            for (Map.Entry<Shape, Candidate> w : work) {
                if ((System.nanoTime() - t0) / 6e10 > o.budget()) {
                    log.printf(Locale.ROOT, "budget of %.1f min reached after %d of %d candidates%n", o.budget(), done, work.size());
                    break;
                }
                Shape s = w.getKey();
                Tried t = measure(o, device, s, w.getValue(), expected, scratch);
                tried.get(s.key()).add(t);
                done++;
                TuningFile.Shape best = TuningFile.Shape.of(s.kernel(), s.product(), tried.get(s.key()));
                log.printf(Locale.ROOT, "[%d/%d] %s %s  %s: %s  (best %s)%n", done, work.size(), s.kernel(), s.product(), w.getValue(),
                        t.error() != null ? "✗ " + t.error() : String.format(Locale.ROOT, "%.2f GFLOP/s", t.gflops()),
                        best == null ? "none yet" : best.winner() + String.format(Locale.ROOT, " %.2f", best.winnerGflops()));
            }
        } finally {
            deleteScratch(scratch);
        }
        List<TuningFile.Shape> measured = new ArrayList<>();
        for (Shape s : shapes) {
            TuningFile.Shape m = TuningFile.Shape.of(s.kernel(), s.product(), tried.get(s.key()));
            if (m != null) {
                measured.add(m);
            }
        }
        TuningFile written = new TuningFile(TuningFile.FORMAT, device, Instant.now().toString(), measured).writeMerged(o.tuning());
        log.printf(Locale.ROOT, "wrote %s: %d shapes tuned (%d in the file)%n", o.tuning(), measured.size(), written.shapes().size());
        return written;
    }

    /** Deletes a scratch folder and the files in it. */
    static void deleteScratch(Path scratch) throws IOException {
        try (var files = Files.list(scratch)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(scratch);
    }

    /** A TornadoVM device by its B:D id; an unknown one is an error listing the devices. */
    public static DeviceInfo deviceInfo(String id) {
        return Engines.tornadoDeviceList().stream().filter(d -> d.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--device " + id + " is not a TornadoVM device; devices:\n  "
                        + String.join("\n  ", Engines.tornadoDevices())));
    }

    /**
     * A shape's round-1 candidates out of all of its candidates: plain and each family's defaults; a family whose defaults
     * do not fit the shape (a 16-wide vector tile on 10 columns) gets its fitting candidate nearest them instead, so that
     * a budget cut leaves the shape measured in every family.
     */
    static List<Candidate> roundOne(Shape s, List<Candidate> all) {
        Map<String, Candidate> firsts = new java.util.LinkedHashMap<>();
        for (Candidate c : all) {
            if (c.local() == null && isDefault(s, c)) {
                firsts.putIfAbsent(c.family(), c);
            }
        }
        for (Candidate c : all) {
            Candidate held = firsts.get(c.family());
            if (c.local() == null && !isDefault(s, c) && (held == null || !isDefault(s, held) && distance(s, c) < distance(s, held))) {
                firsts.put(c.family(), c);
            }
        }
        return List.copyOf(firsts.values());
    }

    /** How far a candidate's tuning values are from its family's defaults: steps along each value list, summed. */
    static int distance(Shape s, Candidate c) {
        return KernelVariants.variant(s.call().method(), c.familyValue()).map(v -> v.tuning().stream()
                .mapToInt(t -> Math.abs(t.values().indexOf(c.params().getOrDefault(t.name(), t.fallback())) - t.values().indexOf(t.fallback())))
                .sum()).orElse(0);
    }

    /** Whether a candidate is its family's default (the values without a tuning file). */
    static boolean isDefault(Shape s, Candidate c) {
        return c.familyValue() == KernelVariants.Family.PLAIN
                || KernelVariants.variant(s.call().method(), c.familyValue()).map(v -> v.defaults().equals(c.params())).orElse(false);
    }

    /**
     * One candidate: a TornadoVM engine whose tuning file names only this candidate for this shape; one run checked
     * against the JVM's result, then device-check's timing. Any failure is the candidate's error.
     */
    static Tried measure(Options o, TuningFile.Device device, Shape s, Candidate c, Map<String, float[][]> expected, Path scratch) {
        try {
            float[][] want = expected.computeIfAbsent(s.key(), k -> written(outputs(s.call().args()), outputs(runOn(new JavaEngine(), copy(s.call())))));
            Path pin = scratch.resolve("candidate.json");
            TuningFile.Shape only = new TuningFile.Shape(s.kernel(), s.product(), c, 0, null, List.of());
            AtomicFiles.writeString(pin, new TuningFile(TuningFile.FORMAT, device, Instant.now().toString(), List.of(only)).toJson());
            KernelCall call = copy(s.call());
            try (Engine e = Engines.create(new EngineOptions("tornado", o.device(), 1, false, "vector", DeviceKernels.TUNED, pin));
                 Engine.Session session = e.open(DeviceCheck.single(call))) {
                TunedKernels.Choice ran = e.kernelChoices().choices().stream().filter(ch -> ch.kernel().equals(s.kernel())).findFirst().orElse(null);
                if (ran == null || !ran.candidate().equals(c)) {
                    return new Tried(c, null, "the engine ran " + (ran == null ? "nothing recorded" : ran.candidate() + " (" + ran.source() + ")"));
                }
                session.run("run");
                session.syncState();
                double err = maxError(want, outputs(call.args()));
                if (!(err <= TOLERANCE)) {
                    return new Tried(c, null, String.format(Locale.ROOT, "differs from the JVM by %.3g of max(1, |value|)", err));
                }
                double perSecond = DeviceCheck.runsPerSecond(session, "run", o.seconds(), null);
                return new Tried(c, perSecond * s.product().flops() / 1e9, null);
            }
        } catch (RuntimeException | IOException | LinkageError ex) {
            String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            return new Tried(c, null, ex.getClass().getSimpleName() + ": " + m.lines().findFirst().orElse(m));
        }
    }

    static Object[] runOn(Engine engine, KernelCall call) {
        try (Engine.Session s = engine.open(DeviceCheck.single(call))) {
            s.run("run");
            s.syncState();
        }
        return call.args();
    }

    /** The float arrays among a call's arguments, in order. */
    static float[][] outputs(Object[] args) {
        return java.util.Arrays.stream(args).filter(a -> a instanceof float[]).map(a -> (float[]) a).toArray(float[][]::new);
    }

    /**
     * The JVM's result where the kernel wrote (changed the seeded value), NaN elsewhere: TornadoVM 5.2 does not copy an
     * array a kernel only writes to the device, so what the kernel leaves alone comes back undefined and is not compared.
     */
    static float[][] written(float[][] before, float[][] after) {
        float[][] out = new float[after.length][];
        for (int i = 0; i < after.length; i++) {
            out[i] = after[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                if (Float.floatToIntBits(out[i][j]) == Float.floatToIntBits(before[i][j])) {
                    out[i][j] = Float.NaN;
                }
            }
        }
        return out;
    }

    /** The largest |device - JVM| / max(1, |JVM|) over the elements the JVM wrote (NaN: not written); a NaN result counts as infinite. */
    static double maxError(float[][] want, float[][] got) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                if (!Float.isNaN(want[i][j])) {
                    double e = Math.abs((double) want[i][j] - got[i][j]) / Math.max(1.0, Math.abs(want[i][j]));
                    worst = Math.max(worst, Double.isNaN(e) ? Double.POSITIVE_INFINITY : e);
                }
            }
        }
        return worst;
    }
}
