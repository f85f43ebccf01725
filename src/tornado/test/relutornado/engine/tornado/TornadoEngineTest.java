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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.engine.JavaEngine;
import relutornado.engine.KernelCall;
import relutornado.engine.Program;
import relutornado.engine.KernelCases;
import relutornado.engine.KernelCases.Case;
import relutornado.model.Head;
import relutornado.model.ModelKind;
import relutornado.model.ModelSpec;
import relutornado.model.Network;
import relutornado.preprocess.Input;
import relutornado.report.RunReport;
import relutornado.train.Experiment;
import relutornado.train.ExperimentConfig;
import relutornado.train.TrainConfig;

/**
 * The TornadoVM engine against the sequential JVM engine: every kernel, one full training step,
 * and the reports of a short training. Runs on TornadoVM's default device unless
 * -Drelutornado.device=B:D is given.
 */
class TornadoEngineTest {
    static final double RTOL = 1e-4;
    /** Kernels with a device variant, plain and tuned, on one call: 1e-5 of max(1, |JVM value|). */
    static final double GEMM_RTOL = 1e-5;
    /** Device kernels tuned (the default): registered kernels run their device variants. */
    static Engine tornado;
    /** The plain {@code @Parallel} kernels on the same device. */
    static Engine tornadoPlain;
    /** The 4×4 register tiles (what tuned is on a GPU), forced on the same device. */
    static Engine tornadoTiles;

    @BeforeAll
    static void start() {
        assumeTrue(Engines.tornadoAvailable(), "no TornadoVM runtime in this JVM (run with the SDK's tornado-argfile)");
        tornado = Engines.create(new EngineOptions("tornado", System.getProperty("relutornado.device"), 1, true, "vector",
                DeviceKernels.TUNED));
        tornadoPlain = Engines.create(new EngineOptions("tornado", System.getProperty("relutornado.device"), 1, true, "vector",
                DeviceKernels.PLAIN));
        tornadoTiles = Engines.create(new EngineOptions("tornado", System.getProperty("relutornado.device"), 1, true, "vector",
                DeviceKernels.TILES));
        System.out.println("TornadoVM device: " + tornado.device());
    }

    @AfterAll
    static void stop() {
        if (tornado != null) {
            tornado.close();
        }
        if (tornadoPlain != null) {
            tornadoPlain.close();
        }
        if (tornadoTiles != null) {
            tornadoTiles.close();
        }
    }

    /** Every kernel on odd shapes and the register tiles' edge cases (shared with device-check). */
    static List<Case> kernels() {
        return KernelCases.all();
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

    /** Kernels that have a device variant: their plain form runs on the device too (--device-kernels plain). */
    static List<Case> registeredKernels() {
        return kernels().stream().filter(c -> KernelVariants.variant(c.make().apply(new Random(1)).method(), Family.TILES).isPresent()).toList();
    }

    /** Every kernel as the default engine runs it (device variants where registered) against the plain kernel on the JVM. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void kernelOnDeviceEqualsTheJvm(Case c) {
        assertDeviceEqualsJvm(tornado, c, "tuned");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredKernels")
    void plainKernelOnDeviceEqualsTheJvm(Case c) {
        assertDeviceEqualsJvm(tornadoPlain, c, "plain");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredKernels")
    void tiledKernelOnDeviceEqualsTheJvm(Case c) {
        assertDeviceEqualsJvm(tornadoTiles, c, "tiles");
    }

    /** On a CPU device tuned means the default 6×16 float16 tiles: the FFNN's hidden-layer products must run GemmVector.gemm16, not fall back. */
    @Test
    void tunedRunsTheVectorProductsOnACpuDevice() {
        ModelSpec spec = ModelSpec.ffnn(DatasetName.WDBC, 30, 2, Head.RELU);
        Network net = new Network(spec, 64);
        net.initialise(3);
        try (Engine.Session s = tornado.open(net.program())) {
            s.run(Network.TRAIN);
            java.util.Collection<String> ran = s.taskKernels().values();
            if (tornado.device().contains("(CPU)")) {
                // the backward-to-input products read Wᵀ, whose columns are strided: they need packs, which run as one task
                assertTrue(ran.contains("GemmVector.gemm16") && ran.contains("GemmVector.pack16x3") && ran.contains("AdamVector.update"), "tasks ran " + ran);
            } else {
                assertTrue(!ran.contains("GemmVector.gemm") && ran.contains("GemmTiles.gemm"), "tasks ran " + ran);
            }
        }
    }

    static void assertDeviceEqualsJvm(Engine engine, Case c, String kind) {
        KernelCall jvm = c.make().apply(new Random(42));
        KernelCall dev = c.make().apply(new Random(42));
        runOnce(new JavaEngine(), jvm);
        runOnce(engine, dev);
        double tol = KernelVariants.variant(jvm.method(), Family.TILES).isPresent() ? GEMM_RTOL : RTOL;
        Object[] a = jvm.args(), b = dev.args();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] instanceof float[] x) {
                float[] y = (float[]) b[i];
                for (int j = 0; j < x.length; j++) {
                    double diff = Math.abs(x[j] - y[j]);
                    double bound = tol * Math.max(1.0, Math.abs(x[j]));
                    worst = Math.max(worst, diff / Math.max(1.0, Math.abs(x[j])));
                    int at = j, arg = i;
                    assertTrue(diff <= bound, () -> c + " argument " + arg + "[" + at + "]: JVM " + x[at] + ", device " + y[at]);
                }
            } else if (a[i] instanceof int[] x) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(x, (int[]) b[i], c + " argument " + i);
            }
        }
        System.out.printf("%-32s %s on the device vs JVM: max relative diff %.2e (tolerance %.0e)%n", c, kind, worst, tol);
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
        assertOneStepEqual(tornado, model, spec, batch, valid);
    }

    /** As {@link #assertOneStepEqual(String, ModelSpec, int, int)} on the given TornadoVM engine. */
    static void assertOneStepEqual(Engine engine, String model, ModelSpec spec, int batch, int valid) {
        Network jvm = step(new JavaEngine(), spec, batch, valid);
        Network dev = step(engine, spec, batch, valid);
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

    /** A call's Launch becomes the worker grid keyed like its task: graph.task, with the same id helper. */
    @Test
    void launchBecomesAWorkerGridKeyedLikeItsTask() {
        KernelCall call = TornadoEngine.candidateCalls(KernelCases.all().get(0).make().apply(new Random(1)),
                new relutornado.engine.tuning.TuningFile.Candidate("tiles", Map.of("tile0", 4, "tile1", 4), null)).get(0);
        assertEquals("ffnn_relu_train.k", TornadoEngine.taskKey("ffnn_relu_train", call));
        var grid = TornadoEngine.workerGrid(relutornado.engine.Launch.of(5, 3).withLocal(2, 1));
        assertEquals(2, grid.dimension());
        assertEquals(List.of(6L, 3L, 1L), java.util.Arrays.stream(grid.getGlobalWork()).boxed().toList());
        assertEquals(List.of(2L, 1L, 1L), java.util.Arrays.stream(grid.getLocalWork()).boxed().toList());
        assertEquals(null, TornadoEngine.workerGrid(call.launch()).getLocalWork(), "no local size: the driver chooses");
    }

    /** Only a launch that says what a kernel's loops cannot gets a worker grid. */
    @Test
    void onlyLocalSizesAndKernelContextsNeedAWorkerGrid() {
        assertTrue(!TornadoEngine.needsGrid(null));
        assertTrue(!TornadoEngine.needsGrid(relutornado.engine.Launch.of(5, 3)), "a @Parallel kernel's grid is its loops");
        assertTrue(TornadoEngine.needsGrid(relutornado.engine.Launch.of(5, 3).withLocal(2, 1)));
        assertTrue(TornadoEngine.needsGrid(new relutornado.engine.Launch(new long[] {8}, null, true)));
    }

    /**
     * The profiler log as TornadoVM 5.2 writes it: two executions, task entries beside the graph's totals, and between
     * them the copy-out of a TornadoExecutionResult.transferToHost with its trailing comma.
     */
    @Test
    void profileLogTasksAreReadWithTheirMethodAndKernelTime() {
        String log = """
                {
                    "g": {
                        "TOTAL_TIME": "100",
                        "g.a": {
                            "BACKEND": "OPENCL",
                            "METHOD": "Dense.forward",
                            "TASK_KERNEL_TIME": "40"
                        },\s
                        "g.b": {
                            "METHOD": "Adam.update",
                            "TASK_KERNEL_TIME": "7"
                        }
                    }
                }
                {
                    "g": {
                        "COPY_OUT_TIME_SYNC": "12414",
                        "COPY_OUT_SIZE_BYTES_SYNC": "172488",
                    }
                }
                {
                    "g": {
                        "g.a": {
                            "METHOD": "Dense.forward",
                            "TASK_KERNEL_TIME": "41"
                        }
                    }
                }
                """;
        assertEquals(List.of(new ProfileLog.TaskTime("g.a", "Dense.forward", 40), new ProfileLog.TaskTime("g.b", "Adam.update", 7),
                new ProfileLog.TaskTime("g.a", "Dense.forward", 41)), ProfileLog.tasks(log));
        var e = assertThrows(IllegalStateException.class, () -> ProfileLog.tasks("{\"g\": {\"g.a\": {\"METHOD\": \"x\", \"TASK_KERNEL_TIME\": \"n/a\"}}}"));
        assertTrue(e.getMessage().contains("profiler log"), e.getMessage());
    }

    /** A task that TornadoVM compiled from another method than its call's kernel is an error. */
    @Test
    void aTaskRunningAnotherMethodThanItsKernelIsAnError() {
        KernelCall call = KernelCases.all().get(0).make().apply(new Random(1));
        String kernel = KernelCall.describe(call.method());
        ProfileLog.checkMethod(new ProfileLog.TaskTime("g.k", kernel, 1), call);
        var e = assertThrows(IllegalStateException.class, () -> ProfileLog.checkMethod(new ProfileLog.TaskTime("g.k", "Other.kernel", 1), call));
        assertTrue(e.getMessage().contains("Other.kernel") && e.getMessage().contains(kernel), e.getMessage());
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
        var e = assertThrows(IllegalArgumentException.class, () -> Engines.create(new EngineOptions("tornado", "97:0", 1, false, "vector", DeviceKernels.TUNED)));
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
            // every task of the graph has its kernel time, read from TornadoVM's JSON log (which also names its method)
            java.util.Set<String> tasks = ((TornadoEngine) tornado).tasks(net.program(), Network.TRAIN).stream().map(KernelCall::name)
                    .collect(java.util.stream.Collectors.toSet());
            assertEquals(tasks, s.takeTaskProfile().keySet());
        }
    }

    /**
     * The vector variants' scratch arrays (the convolutions' patch matrices, the packed operands) are device-only: the
     * first execution copies in the program's declared arrays and nothing of the scratch.
     */
    @Test
    void scratchArraysAreAllocatedOnTheDeviceWithoutACopy() {
        Network net = new Network(ModelSpec.cnn(1, 16, 16, 10, Head.SOFTMAX), 32);
        net.initialise(3);
        net.valid[0] = 32;
        net.adamStep(1e-3, 0.9, 0.999, 1e-8, 1);
        Program program = net.program();
        java.util.Set<Object> declared = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        program.buffersOf(Network.TRAIN).forEach(b -> declared.add(b.array()));
        long declaredBytes = declared.stream().mapToLong(TornadoEngineTest::bytes).sum();
        try (Engine vector = Engines.create(new EngineOptions("tornado", System.getProperty("relutornado.device"), 1, true, "vector",
                DeviceKernels.VECTOR))) {
            long scratchBytes = program.phase(Network.TRAIN).stream().flatMap(c -> ((TornadoEngine) vector).deviceCalls(c).stream())
                    .flatMap(c -> java.util.Arrays.stream(c.args())).filter(a -> a instanceof float[] && !declared.contains(a))
                    .mapToLong(TornadoEngineTest::bytes).sum();
            assertTrue(scratchBytes > declaredBytes / 4, "the CNN's vector variants have patch matrices: " + scratchBytes + " bytes");
            try (Engine.Session s = vector.open(program)) {
                s.run(Network.TRAIN);
                double copied = s.takeProfile().get("copy_in_bytes");
                System.out.printf("first execution copied in %.0f bytes; declared arrays %d bytes, float[] scratch %d bytes%n", copied,
                        declaredBytes, scratchBytes);
                assertTrue(copied <= declaredBytes, "copied in " + copied + " bytes, more than the declared arrays' " + declaredBytes);
            }
        }
    }

    static long bytes(Object array) {
        return array instanceof float[] f ? 4L * f.length : array instanceof int[] i ? 4L * i.length : 0;
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
     * batch 32 at lr 3e-3 (~220 Adam steps, enough to leave chance), against the JVM with the same seed and dropout
     * masks. Float summation order differs (PoCL, the JVM's plain loops, the Vector API GEMMs) and ~220 steps on the
     * steep part of the learning curve amplify it: on the JVM alone, `java` and `java-parallel` end this run 3.4 % apart
     * in train loss and 12 points apart in test accuracy (0.35 / 0.47), while epoch 1 agrees to 0.1 %. So epoch 1 is
     * held to 1 %, later epochs to 10 %, and accuracy only to "beyond chance". The step-for-step check is
     * {@link #oneCnnTrainingStepOnDeviceEqualsTheJvm}; this one checks the pipeline around it (the eval graph reading
     * the trained weights, the padded last batch, the weights synced back at the fold's end), whose failures show as
     * a diverging loss or accuracy at chance.
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
            double rtol = i == 1 ? 0.01 : 0.10;
            assertEquals(lj, ld, rtol * lj, "train loss, folds.csv line " + i + " (relative tolerance " + rtol + ")");
        }
        System.out.printf("MNIST CNN-softmax (pca 16x16), 1,800 images x 4 epochs: test accuracy JVM %.4f (%d ms), TornadoVM %.4f (%d ms)%n",
                res[0].testAccuracy(), ms[0], res[1].testAccuracy(), ms[1]);
        for (RunReport.Results r : res) {
            assertTrue(r.testAccuracy() > 0.25, "the CNN must learn beyond chance (0.10) here: " + r.testAccuracy());
        }
    }

    static final Path DATA = Path.of(System.getProperty("relutornado.dataDir", "data"));

    static void assumeData(String dataset) {
        assumeTrue(Files.isDirectory(DATA.resolve(dataset.toString())), "no " + dataset + " data in " + DATA + ": run scripts/setup.sh");
    }

    /** The engine's options: TornadoVM on -Drelutornado.device (or its default) with the profiler on; the JVM on all cores. */
    static EngineOptions options(String engine) {
        boolean device = engine.equals("tornado");
        return new EngineOptions(engine, device ? System.getProperty("relutornado.device") : null,
                Runtime.getRuntime().availableProcessors(), device, "vector", DeviceKernels.TUNED);
    }

    static RunReport.Results train(String engine, ExperimentConfig cfg) {
        return new Experiment(cfg, false).run().results();
    }
}
