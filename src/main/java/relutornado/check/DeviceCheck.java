package relutornado.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import relutornado.engine.KernelCases;
import relutornado.data.DatasetName;
import relutornado.engine.Engine;
import relutornado.engine.JavaEngine;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.Program;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;

/**
 * The measurements of {@code relu-tornado device-check} on one engine: every kernel against the sequential
 * JVM (max relative error), GFLOP/s of the GEMM-shaped kernels, and samples/s of one training step per
 * model. Timings run a phase repeatedly after a first run that compiles it (JIT for a device), until at
 * least {@code seconds} have passed; programs keep every array resident (STATE), so a GEMM's time is the
 * kernel and its launch, no copies.
 */
public final class DeviceCheck {
    /** The models of the step timing: the MNIST FFNN, the paper's CNN on 16×16 PCA input, the CNN on 28×28 pixels. */
    public static final List<String> MODELS = List.of("ffnn", "cnn-pca", "cnn-pixels");
    public static final int STEP_BATCH = 256;

    private DeviceCheck() {
    }

    /**
     * A kernel case's max error: max over output elements of |device - JVM| / max(1, |JVM|); or, when the device
     * refused the kernel (TornadoVM or the driver could not compile or run it), NaN and the error in {@code refused}.
     */
    public record KernelError(String kernel, double maxRelativeError, String refused) {
    }

    /** Every kernel of {@link KernelCases#all()} on the engine against the sequential JVM; a refusal does not stop the rest. */
    public static List<KernelError> kernelErrors(Engine engine) {
        List<KernelError> out = new ArrayList<>();
        for (KernelCases.Case c : KernelCases.all()) {
            KernelCall jvm = c.make().apply(new Random(42));
            KernelCall dev = c.make().apply(new Random(42));
            runOnce(new JavaEngine(), jvm);
            try {
                runOnce(engine, dev);
            } catch (RuntimeException | Error e) {
                // TornadoVM reports a kernel its code generator cannot compile as TornadoInternalError, an Error
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                out.add(new KernelError(c.name(), Double.NaN, refusal(e)));
                continue;
            }
            out.add(new KernelError(c.name(), maxError(jvm.args(), dev.args()), null));
        }
        return out;
    }

    /** The error's message and its root cause's (TornadoVM wraps the code generator's exception twice). */
    static String refusal(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(e.getMessage());
        return root == e || m.contains(String.valueOf(root.getMessage())) ? m : m + " (cause: " + root + ")";
    }

    public static double maxError(Object[] want, Object[] got) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            if (want[i] instanceof float[] x) {
                float[] y = (float[]) got[i];
                for (int j = 0; j < x.length; j++) {
                    double e = Math.abs((double) x[j] - y[j]) / Math.max(1.0, Math.abs(x[j]));
                    worst = Math.max(worst, Double.isNaN(e) ? Double.POSITIVE_INFINITY : e);
                }
            } else if (want[i] instanceof int[] x) {
                int[] y = (int[]) got[i];
                for (int j = 0; j < x.length; j++) {
                    if (x[j] != y[j]) {
                        worst = Double.POSITIVE_INFINITY;
                    }
                }
            }
        }
        return worst;
    }

    /** A one-call program whose arrays are all STATE. */
    public static Program single(KernelCall call) {
        Program p = new Program("check_" + call.name());
        int i = 0;
        for (Object a : call.args()) {
            if ((a instanceof float[] || a instanceof int[]) && p.buffer(a) == null) {
                p.buffer("a" + i++, a, Program.Role.STATE);
            }
        }
        p.phase("run", List.of(call));
        return p;
    }

    static void runOnce(Engine engine, KernelCall call) {
        try (Engine.Session s = engine.open(single(call))) {
            s.run("run");
            s.syncState();
        }
    }

    /** A GEMM's throughput on the engine. */
    public record GemmRate(String kernel, double gflops) {
    }

    public static List<GemmRate> gemmRates(Engine engine, double seconds) {
        List<GemmRate> out = new ArrayList<>();
        for (KernelCases.Gemm g : KernelCases.gemms()) {
            double perSecond = runsPerSecond(engine, single(g.call()), "run", seconds, null);
            out.add(new GemmRate(g.name(), perSecond * g.flops() / 1e9));
        }
        return out;
    }

    /** A training step's throughput. */
    public record StepRate(String model, double samplesPerSecond) {
    }

    public static ModelSpec model(String name, Head head) {
        return switch (name) {
            case "ffnn" -> ModelSpec.ffnn(DatasetName.MNIST, 256, 10, head);
            case "cnn-pca" -> ModelSpec.cnn(1, 16, 16, 10, head);
            case "cnn-pixels" -> ModelSpec.cnn(1, 28, 28, 10, head);
            default -> throw new IllegalArgumentException("model must be one of " + MODELS + ", got '" + name + "'");
        };
    }

    /** One training step (forward, backward, Adam; softmax head, batch 256) per model, on a seeded random batch. */
    public static List<StepRate> stepRates(Engine engine, double seconds) {
        List<StepRate> out = new ArrayList<>();
        for (String m : MODELS) {
            Network net = stepNetwork(m);
            double perSecond = runsPerSecond(engine, net.program(), Network.TRAIN, seconds, () -> net.rng[1]++);
            out.add(new StepRate(m, perSecond * STEP_BATCH));
        }
        return out;
    }

    /** Device kernel time of one kernel (summed over its calls) in a training step. */
    public record TaskTime(String model, String kernel, int calls, double msPerStep) {
    }

    /**
     * Where a training step's device time goes: each model's step run {@code steps} times after a compiling run
     * on an engine with its profiler on, the per-task kernel times grouped by the kernel that ran (the device
     * variant where {@code tuned}), largest first.
     */
    public static List<TaskTime> stepProfile(Engine profiled, boolean tuned, int steps) {
        List<TaskTime> out = new ArrayList<>();
        for (String m : MODELS) {
            Network net = stepNetwork(m);
            Map<String, String> kernelOf = new HashMap<>();
            for (KernelCall c : net.program().phase(Network.TRAIN)) {
                kernelOf.put(c.name(), tuned ? KernelVariants.variant(c.method(), KernelVariants.Family.TILES).map(KernelVariants.Variant::implementation)
                        .orElse(KernelCall.describe(c.method())) : KernelCall.describe(c.method()));
            }
            Map<String, double[]> byKernel = new LinkedHashMap<>();
            try (Engine.Session s = profiled.open(net.program())) {
                s.run(Network.TRAIN);
                s.takeTaskProfile();
                kernelOf.putAll(s.taskKernels());
                for (int i = 0; i < steps; i++) {
                    net.rng[1]++;
                    s.run(Network.TRAIN);
                }
                for (var e : s.takeTaskProfile().entrySet()) {
                    double[] acc = byKernel.computeIfAbsent(kernelOf.getOrDefault(e.getKey(), e.getKey()), k -> new double[2]);
                    acc[0]++;
                    acc[1] += e.getValue() / 1e6 / steps;
                }
            }
            byKernel.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]))
                    .forEach(e -> out.add(new TaskTime(m, e.getKey(), (int) e.getValue()[0], e.getValue()[1])));
        }
        return out;
    }

    static Network stepNetwork(String m) {
        return stepNetwork(model(m, Head.SOFTMAX), STEP_BATCH);
    }

    /**
     * A network of spec ready for training steps (also StepBenchmark's and StepProfile's): parameters initialised
     * with seed 10, a seeded Gaussian batch of {@code batch} rows with random labels, and one Adam step taken.
     */
    public static Network stepNetwork(ModelSpec spec, int batch) {
        Network net = new Network(spec, batch);
        net.initialise(10);
        Random rnd = new Random(1);
        for (int i = 0; i < net.x.length; i++) {
            net.x[i] = (float) rnd.nextGaussian();
        }
        for (int r = 0; r < net.labels.length; r++) {
            net.labels[r] = rnd.nextInt(10);
        }
        net.valid[0] = batch;
        net.rng[0] = 10;
        net.adamStep(1e-3, 0.9, 0.999, 1e-8, 1);
        return net;
    }

    /** Runs a phase once (compilation), then repeatedly until {@code seconds} have passed; executions per second. */
    static double runsPerSecond(Engine engine, Program program, String phase, double seconds, Runnable beforeEach) {
        try (Engine.Session s = engine.open(program)) {
            return runsPerSecond(s, phase, seconds, beforeEach);
        }
    }

    /**
     * The timing of device-check and the tuner: one warm-up run of the phase, then runs until {@code seconds} have
     * passed; executions per second.
     */
    public static double runsPerSecond(Engine.Session s, String phase, double seconds, Runnable beforeEach) {
        if (beforeEach != null) {
            beforeEach.run();
        }
        s.run(phase);
        int n = 0;
        long t0 = System.nanoTime();
        long elapsed;
        do {
            if (beforeEach != null) {
                beforeEach.run();
            }
            s.run(phase);
            n++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < seconds * 1e9);
        return n / (elapsed / 1e9);
    }
}
