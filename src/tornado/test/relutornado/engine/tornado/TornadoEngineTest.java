package relutornado.engine.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import relutornado.data.DatasetName;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.engine.JavaEngine;
import relutornado.engine.KernelCall;
import relutornado.engine.Program;
import relutornado.kernels.Activation;
import relutornado.kernels.Activity;
import relutornado.kernels.Adam;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Dense;
import relutornado.kernels.Dropout;
import relutornado.kernels.Linalg;
import relutornado.kernels.Loss;
import relutornado.kernels.MaxPool;
import relutornado.model.Head;
import relutornado.model.ModelKind;
import relutornado.model.ModelSpec;
import relutornado.model.Network;
import relutornado.report.RunReport;
import relutornado.train.Experiment;
import relutornado.train.ExperimentConfig;
import relutornado.train.Input;
import relutornado.train.Protocol;
import relutornado.train.TrainConfig;

/**
 * The TornadoVM engine against the sequential JVM engine: every kernel, one full training step,
 * and the reports of a short training. Runs on TornadoVM's default device unless
 * -Drelutornado.device=B:D is given.
 */
class TornadoEngineTest {
    static final double RTOL = 1e-4;
    static Engine tornado;

    @BeforeAll
    static void start() {
        assumeTrue(Engines.tornadoAvailable(), "no TornadoVM runtime in this JVM (run with the SDK's tornado-argfile)");
        tornado = Engines.create(new EngineOptions("tornado", System.getProperty("relutornado.device"), 1, true, "vector"));
        System.out.println("TornadoVM device: " + tornado.device());
    }

    @AfterAll
    static void stop() {
        if (tornado != null) {
            tornado.close();
        }
    }

    static float[] rnd(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** Adam's second moment is never negative. */
    static float[] abs(float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(a[i]);
        }
        return a;
    }

    static int[] labels(Random r, int n, int k) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(k);
        }
        return a;
    }

    /** One kernel case: builds its call over fresh arrays from a seed (so two identical copies can be made). */
    record Case(String name, Function<Random, KernelCall> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> kernels() {
        int N = 13, C = 37, OC = 19, K = 10, F = 23;
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("Dense.forward", r -> KernelCall.of("k", Dense.class, "forward",
                new float[N * OC], rnd(r, N * C, 1), rnd(r, C * OC + OC + 5, 1), 5, C * OC + 5, C, OC, 0, N)));
        cases.add(new Case("Dense.backwardInput", r -> KernelCall.of("k", Dense.class, "backwardInput",
                new float[N * C], rnd(r, N * OC, 1), rnd(r, C * OC + 3, 1), 3, C, OC, 0, N)));
        // Outputs that a kernel only writes are not copied to the device (TornadoVM 5.2), so elements it does
        // not write come back undefined: the gradient kernels get slabs they fill completely here. In a
        // training step every element of the WORK gradient slab is written by some kernel before Adam reads it.
        cases.add(new Case("Dense.backwardWeights", r -> KernelCall.of("k", Dense.class, "backwardWeights",
                new float[C * OC], rnd(r, N * OC, 1), rnd(r, N * C, 1), 0, N, C, OC, 0, C)));
        cases.add(new Case("Dense.backwardBias", r -> KernelCall.of("k", Dense.class, "backwardBias",
                new float[OC], rnd(r, N * OC, 1), 0, N, OC, 0, OC)));
        cases.add(new Case("Activation.reluForward", r -> KernelCall.of("k", Activation.class, "reluForward",
                new float[N * C], rnd(r, N * C, 2), 0, N * C)));
        cases.add(new Case("Activation.reluBackward", r -> KernelCall.of("k", Activation.class, "reluBackward",
                new float[N * C], rnd(r, N * C, 1), rnd(r, N * C, 1), 0, N * C)));
        cases.add(new Case("Dropout.forward", r -> KernelCall.of("k", Dropout.class, "forward",
                new float[N * C], new float[N * C], rnd(r, N * C, 1), new int[] {10, 7}, 2, 0.1f, 0, N * C)));
        cases.add(new Case("Dropout.backward", r -> KernelCall.of("k", Dropout.class, "backward",
                new float[N * C], rnd(r, N * C, 1), rnd(r, N * C, 1), 0, N * C)));
        cases.add(new Case("Loss.softmaxForward", r -> KernelCall.of("k", Loss.class, "softmaxForward",
                new float[N], new int[N], rnd(r, N * K, 4), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Loss.softmaxBackward", r -> KernelCall.of("k", Loss.class, "softmaxBackward",
                new float[N * K], rnd(r, N * K, 4), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Loss.reluHeadForward", r -> KernelCall.of("k", Loss.class, "reluHeadForward",
                new float[N], new int[N], new int[N], rnd(r, N * K, 1), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Loss.reluHeadBackward", r -> KernelCall.of("k", Loss.class, "reluHeadBackward",
                new float[N * K], rnd(r, N * K, 1), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Adam.update", r -> KernelCall.of("k", Adam.class, "update",
                rnd(r, 301, 1), rnd(r, 301, 0.1), abs(rnd(r, 301, 0.01)), rnd(r, 301, 1), new float[] {1e-3f, 0.9f, 0.999f, 1e-8f}, 0, 301)));
        // Convolutions on odd sizes: 'same' 3x3 on 7x6, 'valid' 3x3 on 9x8 with one input channel
        int Cc = 3, H = 7, W = 6, OCc = 5, Kk = 3;
        cases.add(new Case("Conv2d.forward same", r -> KernelCall.of("k", Conv2d.class, "forward",
                new float[N * OCc * H * W], rnd(r, N * Cc * H * W, 1), rnd(r, OCc * Cc * 9 + OCc + 2, 1), 2, OCc * Cc * 9 + 2,
                Cc, H, W, OCc, Kk, Kk, 1, H, W, 0, N)));
        cases.add(new Case("Conv2d.forward valid C=1", r -> KernelCall.of("k", Conv2d.class, "forward",
                new float[N * OCc * 7 * 6], rnd(r, N * 9 * 8, 1), rnd(r, OCc * 9 + OCc, 1), 0, OCc * 9,
                1, 9, 8, OCc, Kk, Kk, 0, 7, 6, 0, N)));
        cases.add(new Case("Conv2d.backwardInput same", r -> KernelCall.of("k", Conv2d.class, "backwardInput",
                new float[N * Cc * H * W], rnd(r, N * OCc * H * W, 1), rnd(r, OCc * Cc * 9 + 1, 1), 1,
                Cc, H, W, OCc, Kk, Kk, 1, H, W, 0, N)));
        cases.add(new Case("Conv2d.backwardInput valid", r -> KernelCall.of("k", Conv2d.class, "backwardInput",
                new float[N * Cc * H * W], rnd(r, N * OCc * 5 * 4, 1), rnd(r, OCc * Cc * 9, 1), 0,
                Cc, H, W, OCc, Kk, Kk, 0, 5, 4, 0, N)));
        cases.add(new Case("Conv2d.backwardWeights same", r -> KernelCall.of("k", Conv2d.class, "backwardWeights",
                new float[OCc * Cc * 9], rnd(r, N * OCc * H * W, 1), rnd(r, N * Cc * H * W, 1), 0,
                N, Cc, H, W, OCc, Kk, Kk, 1, H, W, 0, OCc)));
        cases.add(new Case("Conv2d.backwardWeights valid", r -> KernelCall.of("k", Conv2d.class, "backwardWeights",
                new float[OCc * Cc * 9], rnd(r, N * OCc * 5 * 4, 1), rnd(r, N * Cc * H * W, 1), 0,
                N, Cc, H, W, OCc, Kk, Kk, 0, 5, 4, 0, OCc)));
        cases.add(new Case("Conv2d.backwardBias", r -> KernelCall.of("k", Conv2d.class, "backwardBias",
                new float[OCc], rnd(r, N * OCc * H * W, 1), 0, N, OCc, H, W, 0, OCc)));
        cases.add(new Case("MaxPool.forward2x2", r -> KernelCall.of("k", MaxPool.class, "forward2x2",
                new float[N * Cc * 3 * 3], rnd(r, N * Cc * H * W, 1), Cc, H, W, 3, 3, 0, N)));
        cases.add(new Case("MaxPool.backward2x2", r -> KernelCall.of("k", MaxPool.class, "backward2x2",
                new float[N * Cc * H * W], rnd(r, N * Cc * 3 * 3, 1), rnd(r, N * Cc * H * W, 1), Cc, H, W, 3, 3, 0, N)));
        // live-unit counts (dying-ReLU analysis): dense (S = 1) and per channel (S = H·W), padding rows not counted
        cases.add(new Case("Activity.countActive dense", r -> KernelCall.of("k", Activity.class, "countActive",
                new int[C], rnd(r, N * C, 1), new int[] {N - 2}, C, 1, 0, C)));
        cases.add(new Case("Activity.countActive channels", r -> KernelCall.of("k", Activity.class, "countActive",
                new int[Cc], rnd(r, N * Cc * H * W, 1), new int[] {N - 3}, Cc, H * W, 0, Cc)));
        cases.add(new Case("Linalg.gramAccumulate", r -> KernelCall.of("k", Linalg.class, "gramAccumulate",
                rnd(r, F * F, 1), rnd(r, N * F, 1), N, F, 0, F)));
        return cases;
    }

    /** Runs a single call in a one-phase program whose arrays are all STATE, then brings them back. */
    static void runOnce(Engine engine, KernelCall call) {
        Program p = new Program("single");
        int i = 0;
        for (Object a : call.args()) {
            if (a instanceof float[] || a instanceof int[]) {
                p.buffer("a" + i++, a, Program.Role.STATE);
            }
        }
        p.phase("run", List.of(call));
        try (Engine.Session s = engine.open(p)) {
            s.run("run");
            s.syncState();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void kernelOnDeviceEqualsTheJvm(Case c) {
        KernelCall jvm = c.make().apply(new Random(42));
        KernelCall dev = c.make().apply(new Random(42));
        runOnce(new JavaEngine(), jvm);
        runOnce(tornado, dev);
        Object[] a = jvm.args(), b = dev.args();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] instanceof float[] x) {
                float[] y = (float[]) b[i];
                for (int j = 0; j < x.length; j++) {
                    double diff = Math.abs(x[j] - y[j]);
                    double bound = RTOL * Math.max(1.0, Math.abs(x[j]));
                    worst = Math.max(worst, diff / Math.max(1.0, Math.abs(x[j])));
                    int at = j, arg = i;
                    assertTrue(diff <= bound, () -> c + " argument " + arg + "[" + at + "]: JVM " + x[at] + ", device " + y[at]);
                }
            } else if (a[i] instanceof int[] x) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(x, (int[]) b[i], c + " argument " + i);
            }
        }
        System.out.printf("%-24s device vs JVM: max relative diff %.2e (tolerance %.0e)%n", c, worst, RTOL);
    }

    /** One training step (forward, backward, Adam) of a fresh model on a seeded random batch, with a short last batch. */
    static Network step(Engine engine, ModelSpec spec, int batch, int valid) {
        Network net = new Network(spec, batch);
        net.initialise(3);
        Random r = new Random(5);
        for (int i = 0; i < net.x.length; i++) {
            net.x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < net.labels.length; i++) {
            net.labels[i] = r.nextInt(spec.classes());
        }
        net.valid[0] = valid;
        net.rng[0] = 10;
        net.rng[1] = 1;
        net.adamStep(1e-3, 0.9, 0.999, 1e-8, 1);
        try (Engine.Session s = engine.open(net.program())) {
            s.run(Network.TRAIN);
            s.syncState();
        }
        return net;
    }

    @ParameterizedTest
    @EnumSource(Head.class)
    void oneTrainingStepOnDeviceEqualsTheJvm(Head head) {
        assertOneStepEqual("FFNN", ModelSpec.ffnn(DatasetName.WDBC, 30, 2, head), 64, 60);
    }

    /** The paper's CNN (16x16x1), batch 32 with 29 valid rows. */
    @ParameterizedTest
    @EnumSource(Head.class)
    void oneCnnTrainingStepOnDeviceEqualsTheJvm(Head head) {
        assertOneStepEqual("CNN", ModelSpec.cnn(1, 16, 16, 10, head), 32, 29);
    }

    /** One training step on the device and on the JVM: every parameter after Adam, every row's loss and prediction. */
    static void assertOneStepEqual(String model, ModelSpec spec, int batch, int valid) {
        Network jvm = step(new JavaEngine(), spec, batch, valid);
        Network dev = step(tornado, spec, batch, valid);
        String what = model + " " + spec.head();
        double worst = 0;
        for (int i = 0; i < jvm.params.length; i++) {
            double diff = Math.abs(jvm.params[i] - dev.params[i]);
            // relative for |θ| >= 1, absolute below (Adam's first step moves every θ by ~lr = 1e-3)
            worst = Math.max(worst, diff / Math.max(1, Math.abs(jvm.params[i])));
            int at = i;
            assertTrue(diff <= RTOL * Math.max(1, Math.abs(jvm.params[i])),
                    () -> what + " params[" + at + "] after one step: JVM " + jvm.params[at] + ", device " + dev.params[at]);
        }
        double worstLoss = 0;
        for (int i = 0; i < jvm.rowLoss.length; i++) {
            worstLoss = Math.max(worstLoss, Math.abs(jvm.rowLoss[i] - dev.rowLoss[i]) / Math.max(1, Math.abs(jvm.rowLoss[i])));
            assertEquals(jvm.rowLoss[i], dev.rowLoss[i], RTOL * Math.max(1, Math.abs(jvm.rowLoss[i])), what + " row loss " + i);
            assertEquals(jvm.rowPred[i], dev.rowPred[i], what + " row prediction " + i);
        }
        System.out.printf("%s training step device vs JVM: max relative parameter diff %.2e, row loss diff %.2e (tolerance %.0e)%n",
                what, worst, worstLoss, RTOL);
    }

    /**
     * The dying-ReLU counts of the eval phase (every hidden ReLU layer and the ReLU head), on the device and on the
     * JVM, after one training step of the paper's CNN: counted on the device, only the counts come back.
     */
    @Test
    void liveUnitCountsOfTheEvalPhaseOnDeviceEqualTheJvm() {
        Network[] nets = new Network[2];
        for (int e = 0; e < 2; e++) {
            Network net = new Network(ModelSpec.cnn(1, 16, 16, 10, Head.RELU), 32);
            net.initialise(3);
            Random r = new Random(5);
            for (int i = 0; i < net.x.length; i++) {
                net.x[i] = (float) r.nextGaussian();
            }
            net.valid[0] = 29;
            net.rng[0] = 10;
            net.rng[1] = 1;
            net.adamStep(1e-3, 0.9, 0.999, 1e-8, 1);
            try (Engine.Session s = (e == 0 ? new JavaEngine() : tornado).open(net.program())) {
                s.run(Network.TRAIN);
                s.run(Network.EVAL);
            }
            nets[e] = net;
        }
        // float rounding may flip an activation that sits at 0 to the other side: a count may move by one or two
        int worst = 0;
        List<Network.Probe> jvm = new ArrayList<>(nets[0].hiddenProbes), dev = new ArrayList<>(nets[1].hiddenProbes);
        jvm.add(nets[0].headProbe);
        dev.add(nets[1].headProbe);
        for (int i = 0; i < jvm.size(); i++) {
            int[] a = jvm.get(i).active(), b = dev.get(i).active();
            for (int c = 0; c < a.length; c++) {
                int at = c, layer = i;
                worst = Math.max(worst, Math.abs(a[c] - b[c]));
                assertTrue(Math.abs(a[c] - b[c]) <= 2, () -> jvm.get(layer).layer() + " unit " + at + ": JVM " + a[at] + ", device " + b[at]);
            }
        }
        System.out.printf("eval-phase live-unit counts of %d ReLU layers and the head, device vs JVM: max |diff| %d (tolerance 2)%n",
                jvm.size() - 1, worst);
    }

    @Test
    void evalBeforeTrainInASessionIsAClearError() {
        Network net = new Network(ModelSpec.ffnn(DatasetName.WDBC, 30, 2, Head.RELU), 8);
        try (Engine.Session s = tornado.open(net.program())) {
            var e = assertThrows(IllegalStateException.class, () -> s.run(Network.EVAL));
            assertTrue(e.getMessage().contains("run train first"), e.getMessage());
        }
    }

    @Test
    void unknownDeviceListsTheAvailableOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Engines.create(new EngineOptions("tornado", "97:0", 1, false, "vector")));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("0:0"), e.getMessage());
    }

    @Test
    void profilerFiguresArePresent() {
        Network net = new Network(ModelSpec.ffnn(DatasetName.WDBC, 30, 2, Head.SOFTMAX), 32);
        net.initialise(1);
        net.valid[0] = 32;
        net.adamStep(1e-3, 0.9, 0.999, 1e-8, 1);
        try (Engine.Session s = tornado.open(net.program())) {
            s.run(Network.TRAIN);
            s.run(Network.TRAIN);
            Map<String, Double> p = s.takeProfile();
            System.out.println("profile of two steps: " + p);
            assertTrue(p.getOrDefault("kernel_ns", 0.0) > 0, "kernel time: " + p);
            assertTrue(p.getOrDefault("copy_in_bytes", 0.0) > 0, "bytes in: " + p);
        }
    }

    @ParameterizedTest
    @EnumSource(Head.class)
    void shortWdbcTrainingOnDeviceMatchesTheJvm(Head head, @TempDir Path tmp) {
        assumeData("wdbc");
        double[] acc = new double[2];
        for (int e = 0; e < 2; e++) {
            String engine = e == 0 ? "java" : "tornado";
            acc[e] = train(engine, new ExperimentConfig(DatasetName.WDBC, ModelKind.FFNN, head, Protocol.SOUND, 1,
                    TrainConfig.paper(12, 256, 10), 0, true, 0, true, DATA, tmp.resolve(engine), options(engine), Input.PCA)).testAccuracy();
        }
        System.out.printf("WDBC FFNN-%s, 12 epochs: test accuracy JVM %.4f, TornadoVM %.4f%n", head, acc[0], acc[1]);
        assertEquals(acc[0], acc[1], 0.01, "test accuracy on the device must match the JVM within 1 point");
    }

    /**
     * The CNN trains on the device: MNIST, the paper's input (PCA 256 as 16x16), a 2,000-image sample, 4 epochs of
     * batch 32 at lr 3e-3 (~220 Adam steps, enough to leave chance: ~40 % test accuracy), against the JVM with the same
     * seed and dropout masks. Float summation order differs (PoCL vectorises, the JVM runs the Vector API GEMMs) and
     * ~220 steps amplify it: measured, the epoch losses part by 0.1 % after epoch 1 and 2.4 % after epoch 4, test
     * accuracy by 0.6 points. The step-for-step check is {@link #oneCnnTrainingStepOnDeviceEqualsTheJvm}; this one
     * checks the pipeline around it (the eval graph reading the trained weights, the padded last batch, the weights
     * synced back at the fold's end), whose failures drop accuracy to chance.
     */
    @Test
    void shortMnistCnnTrainingOnDeviceMatchesTheJvm(@TempDir Path tmp) throws IOException {
        assumeData("mnist");
        RunReport.Results[] res = new RunReport.Results[2];
        long[] ms = new long[2];
        for (int e = 0; e < 2; e++) {
            String engine = e == 0 ? "java-parallel" : "tornado";
            long t0 = System.nanoTime();
            res[e] = train(engine, new ExperimentConfig(DatasetName.MNIST, ModelKind.CNN, Head.SOFTMAX, Protocol.PAPER, 1,
                    new TrainConfig(4, 32, 3e-3, 0.9, 0.999, 1e-8, 10), 2000, false, 256, true, DATA, tmp.resolve(engine),
                    options(engine), Input.PCA));
            ms[e] = (System.nanoTime() - t0) / 1_000_000;
        }
        List<String> jvm = Files.readAllLines(tmp.resolve("java-parallel").resolve("folds.csv"));
        List<String> dev = Files.readAllLines(tmp.resolve("tornado").resolve("folds.csv"));
        assertEquals(jvm.size(), dev.size());
        for (int i = 1; i < jvm.size(); i++) {
            double lj = Double.parseDouble(jvm.get(i).split(",")[2]), ld = Double.parseDouble(dev.get(i).split(",")[2]);
            double rtol = i == 1 ? 0.01 : 0.05;
            assertEquals(lj, ld, rtol * lj, "train loss, folds.csv line " + i + " (relative tolerance " + rtol + ")");
        }
        System.out.printf("MNIST CNN-softmax (pca 16x16), 1,800 images x 4 epochs: test accuracy JVM %.4f (%d ms), TornadoVM %.4f (%d ms)%n",
                res[0].testAccuracy(), ms[0], res[1].testAccuracy(), ms[1]);
        for (RunReport.Results r : res) {
            assertTrue(r.testAccuracy() > 0.25, "the CNN must learn beyond chance (0.10) here: " + r.testAccuracy());
        }
        assertEquals(res[0].testAccuracy(), res[1].testAccuracy(), 0.03, "test accuracy on the device must match the JVM within 3 points");
    }

    static final Path DATA = Path.of(System.getProperty("relutornado.dataDir", "data"));

    static void assumeData(String dataset) {
        assumeTrue(Files.isDirectory(DATA.resolve(dataset.toString())), "no " + dataset + " data in " + DATA + ": run scripts/setup.sh");
    }

    /** The engine's options: TornadoVM on -Drelutornado.device (or its default) with the profiler on; the JVM on all cores. */
    static EngineOptions options(String engine) {
        boolean device = engine.equals("tornado");
        return new EngineOptions(engine, device ? System.getProperty("relutornado.device") : null,
                Runtime.getRuntime().availableProcessors(), device, "vector");
    }

    static RunReport.Results train(String engine, ExperimentConfig cfg) {
        return new Experiment(cfg, false).run().results();
    }
}
