package relutornado.engine.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import relutornado.engine.KernelCases;
import relutornado.engine.DeviceKernels;
import relutornado.engine.KernelArgs;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.KernelVariants.Variant;
import relutornado.engine.tuning.Candidates;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Dense;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;

/**
 * The vector variants' tasks run as plain Java (GemmVector's loops and Float16 run on the JVM too) against the plain
 * kernels for every rows × width the registry lists: the argument mapping, the shifted edge tiles, sub-ranges and the
 * transposed weights, without a device.
 */
class VectorVariantsTest {
    static final double RTOL = 1e-5;

    record Shape(String name, int rows, int in, int out, int start, int count) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Shape> shapes() {
        return Stream.of(new Shape("two tiles overlapping", 8, 32, 16, 0, 8), new Shape("edges in both dimensions", 29, 45, 70, 0, 29),
                new Shape("sub-range", 40, 37, 65, 5, 27),
                new Shape("short sub-range", 12, 20, 9, 3, 7), new Shape("FFNN hidden layer", 64, 512, 512, 0, 64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void denseProductsEqualThePlainKernels(Shape s) {
        Random r = new Random(3);
        int wOff = 5, bOff = 5 + s.in() * s.out();
        float[] params = KernelCases.rnd(r, bOff + s.out(), 1);
        float[] in = KernelCases.rnd(r, s.rows() * s.in(), 1);
        float[] dOut = KernelCases.rnd(r, s.rows() * s.out(), 1);
        // out, dIn over the row range; dW over the feature range [start, start + count) of a wide enough layer
        compare(KernelCall.of("f", Dense.class, "forward", new float[s.rows() * s.out()], in, params, wOff, bOff, s.in(), s.out(),
                s.start(), s.count()));
        compare(KernelCall.of("bi", Dense.class, "backwardInput", new float[s.rows() * s.in()], dOut, params, wOff, s.in(), s.out(),
                s.start(), s.count()));
        int features = Math.max(s.in(), s.start() + s.count());
        float[] wideIn = KernelCases.rnd(r, s.rows() * features, 1);
        compare(KernelCall.of("bw", Dense.class, "backwardWeights", new float[features * s.out() + 3], dOut, wideIn, 3, s.rows(),
                features, s.out(), s.start(), s.count()));
    }

    record ConvShape(String name, int n, int c, int h, int w, int oc, int pad, int start, int count) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ConvShape> convShapes() {
        return Stream.of(new ConvShape("same 3x3, odd sizes", 3, 4, 7, 6, 33, 1, 0, 3), new ConvShape("valid 3x3, sub-range", 5, 4, 7, 6, 40, 0, 1, 3),
                new ConvShape("paper CNN second layer", 4, 32, 14, 14, 32, 0, 0, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convShapes")
    void convolutionProductsEqualThePlainKernels(ConvShape s) {
        Random r = new Random(4);
        int K = 3, OH = s.h() + 2 * s.pad() - K + 1, OW = s.w() + 2 * s.pad() - K + 1, T = s.c() * K * K;
        int wOff = 2, bOff = 2 + s.oc() * T;
        float[] params = KernelCases.rnd(r, bOff + s.oc(), 1);
        float[] in = KernelCases.rnd(r, s.n() * s.c() * s.h() * s.w(), 1);
        float[] dOut = KernelCases.rnd(r, s.n() * s.oc() * OH * OW, 1);
        compare(KernelCall.of("cf", Conv2d.class, "forward", new float[s.n() * s.oc() * OH * OW], in, params, wOff, bOff, s.c(), s.h(), s.w(),
                s.oc(), K, K, s.pad(), OH, OW, s.start(), s.count()));
        compare(KernelCall.of("ci", Conv2d.class, "backwardInput", new float[in.length], dOut, params, wOff, s.c(), s.h(), s.w(), s.oc(), K, K,
                s.pad(), OH, OW, s.start(), s.count()));
        // the weight gradient's range is over output channels
        compare(KernelCall.of("cw", Conv2d.class, "backwardWeights", new float[params.length], dOut, in, wOff, s.n(), s.c(), s.h(), s.w(),
                s.oc(), K, K, s.pad(), OH, OW, s.oc() - 32, 32));
    }

    /** Two step networks of a model: the first after one plain training step on the JVM, the second fresh. */
    private static relutornado.model.Network[] steppedAndFresh(String model, int batch) {
        relutornado.model.ModelSpec spec = relutornado.check.DeviceCheck.model(model, relutornado.model.Head.SOFTMAX);
        relutornado.model.Network plain = relutornado.check.DeviceCheck.stepNetwork(spec, batch);
        plain.program().phase(relutornado.model.Network.TRAIN).forEach(KernelCall::invoke);
        return new relutornado.model.Network[] {plain, relutornado.check.DeviceCheck.stepNetwork(spec, batch)};
    }

    /** A phase's calls as the vector family's tasks with its default tiles (calls without a vector variant as they are), sharing scratch. */
    private static List<KernelCall> vectorTasks(List<KernelCall> calls) {
        VectorVariants.Shared shared = new VectorVariants.Shared();
        return calls.stream().flatMap(c -> {
            Variant v = KernelVariants.variant(c.method(), Family.VECTOR).orElse(null);
            List<KernelCall> t = v == null ? null : VectorVariants.expand(c, v, v.defaults(), null, shared);
            return (t == null ? List.of(c) : t).stream();
        }).toList();
    }

    /**
     * A paper-CNN training step through the vector tasks of one phase, where each convolution's weight gradient reads
     * the patch matrix its forward pass built and its input gradient the transposed gradient the weight gradient built,
     * equals the plain kernels' step on the JVM; and those producer tasks run once per convolution.
     */
    @Test
    void aCnnStepSharingItsScratchEqualsThePlainStep() {
        relutornado.model.Network[] nets = steppedAndFresh("cnn-pca", 8);
        relutornado.model.Network plain = nets[0];
        relutornado.model.Network tasks = nets[1];
        List<KernelCall> run = vectorTasks(tasks.program().phase(relutornado.model.Network.TRAIN));
        long convs = tasks.program().phase(relutornado.model.Network.TRAIN).stream().filter(c -> KernelCall.describe(c.method()).equals("Conv2d.forward")).count();
        assertEquals(convs, run.stream().filter(t -> KernelCall.describe(t.method()).equals("Im2col.patches")).count(), "one patch matrix per convolution");
        assertEquals(2 * convs, run.stream().filter(t -> KernelCall.describe(t.method()).equals("Im2col.transposeInner")).count(),
                "per convolution the forward's output and one transposed gradient");
        run.forEach(KernelCall::invoke);
        double worst = 0;
        for (int i = 0; i < plain.params.length; i++) {
            worst = Math.max(worst, Math.abs(plain.params[i] - tasks.params[i]) / Math.max(1, Math.abs(plain.params[i])));
        }
        assertTrue(worst <= RTOL, "parameters after one step differ by " + worst);
    }

    /**
     * Every (rows, width, vecs) of the registry on the call (the large FFNN layer: the default only, to keep the JVM run short):
     * where the tile fits, its tasks against the plain kernel; where it does not, no tasks.
     */
    static void compare(KernelCall call) {
        Variant v = KernelVariants.variant(call.method(), Family.VECTOR).orElseThrow();
        Product product = KernelVariants.product(call).orElseThrow();
        List<Map<String, Integer>> settings = product.rows() * product.cols() > 20_000 ? List.of(v.defaults()) : Candidates.combinations(v.tuning());
        int ran = 0;
        for (Map<String, Integer> p : settings) {
            List<KernelCall> tasks = VectorVariants.expand(call, v, p);
            if (!v.fits().fits(product, p)) {
                assertNull(tasks, call.name() + " " + product + " does not fit " + p);
                continue;
            }
            String gemm = "GemmVector.gemm" + p.get(KernelVariants.WIDTH);
            assertTrue(tasks.stream().anyMatch(t -> KernelCall.describe(t.method()).equals(gemm)), call.name() + " runs " + gemm);
            compare(call, tasks, p);
            ran++;
        }
        assertTrue(ran > 0, call.name() + " " + product + " fits no vector tile");
    }

    /** The tasks on the JVM into the call's output, against the plain kernel into a copy of it. */
    static void compare(KernelCall call, List<KernelCall> tasks, Map<String, Integer> params) {
        float[] want = ((float[]) call.args()[0]).clone();
        Object[] plain = call.args();
        plain[0] = want;
        call.invoke(plain);
        float[] got = (float[]) call.args()[0];
        tasks.forEach(KernelCall::invoke);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
            worst = Math.max(worst, err);
            int at = i;
            assertTrue(err <= RTOL, () -> call.name() + "[" + at + "]: plain " + want[at] + ", vector " + got[at]);
        }
        System.out.printf("%s vector %s vs plain on the JVM: max relative diff %.2e%n", call.name(), params, worst);
    }

    /** Adam on float8 groups and a tail of 5: the same floats as the plain kernel (the same operations in the same order). */
    @Test
    void adamEqualsThePlainKernelExactly() {
        Random r = new Random(6);
        int n = 8 * 12 + 5;
        float[] hyper = {1e-3f, 0.9f, 0.999f, 1e-7f};
        float[][] plain = {KernelCases.rnd(r, n, 1), KernelCases.rnd(r, n, 0.1), KernelCases.rnd(r, n, 0.01), KernelCases.rnd(r, n, 1)};
        for (int i = 0; i < n; i++) {
            plain[2][i] = Math.abs(plain[2][i]);
        }
        float[][] vector = {plain[0].clone(), plain[1].clone(), plain[2].clone(), plain[3].clone()};
        relutornado.kernels.Adam.update(plain[0], plain[1], plain[2], plain[3], hyper, 3, n - 3);
        KernelCall call = KernelCall.of("adam", relutornado.kernels.Adam.class, "update", vector[0], vector[1], vector[2], vector[3], hyper, 3, n - 3);
        List<KernelCall> tasks = VectorVariants.expand(call);
        assertEquals("AdamVector.update", KernelCall.describe(tasks.get(0).method()));
        tasks.forEach(KernelCall::invoke);
        for (int a = 0; a < 3; a++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(plain[a], vector[a], "array " + a);
        }
    }

    /** The vector GEMMs fuse their multiply-adds except on SPIR-V, whose unfused tasks give the plain kernel's values too. */
    @Test
    void spirvRunsTheGemmsUnfused() {
        Random r = new Random(4);
        int in = 45, out = 70, rows = 29, wOff = 5, bOff = 5 + in * out;
        float[] params = KernelCases.rnd(r, bOff + out, 1);
        float[] dOut = KernelCases.rnd(r, rows * out, 1);
        KernelCall call = KernelCall.of("bi", Dense.class, "backwardInput", new float[rows * in], dOut, params, wOff, in, out, 0, rows);
        Variant v = KernelVariants.variant(call.method(), Family.VECTOR).orElseThrow();
        List<KernelCall> tasks = VectorVariants.expand(call, v, v.defaults());
        List<KernelCall> spirv = tasks.stream().map(t -> VectorVariants.forBackend(t, "SPIRV")).toList();
        for (int i = 0; i < tasks.size(); i++) {
            boolean gemm = KernelCall.describe(tasks.get(i).method()).startsWith("GemmVector.gemm");
            assertEquals(gemm ? 1 : null, gemm ? KernelArgs.of(tasks.get(i)).get("fused") : null, "fused on OpenCL");
            assertEquals(gemm ? 0 : null, gemm ? KernelArgs.of(spirv.get(i)).get("fused") : null, "unfused on SPIR-V");
            assertTrue(gemm || spirv.get(i) == tasks.get(i), "only the GEMMs change");
            assertTrue(VectorVariants.forBackend(tasks.get(i), "OPENCL") == tasks.get(i), "OpenCL keeps the task");
        }
        assertTrue(tasks.stream().anyMatch(t -> KernelCall.describe(t.method()).startsWith("GemmVector.gemm")), "a vector GEMM ran");
        compare(call, spirv, v.defaults());
    }

    @Test
    void narrowProductsAreLeftToTheTiles() {
        Random r = new Random(1);
        // the 10-class output layer: 10 outputs do not fill 16 columns
        assertNull(VectorVariants.expand(KernelCall.of("f", Dense.class, "forward", new float[64 * 10], KernelCases.rnd(r, 64 * 512, 1),
                KernelCases.rnd(r, 512 * 10 + 10, 1), 0, 5120, 512, 10, 0, 64)));
        // the input gradient into the 2-class output layer: a reduction of 2 (the vector family fit rule in KernelVariants)
        assertNull(VectorVariants.expand(KernelCall.of("bi", Dense.class, "backwardInput", new float[64 * 32], KernelCases.rnd(r, 64 * 2, 1),
                KernelCases.rnd(r, 32 * 2, 1), 0, 32, 2, 0, 64)));
        // the first convolution of the CNNs: one channel, 9 taps, so its input gradient has 9 < 16 columns
        assertNull(VectorVariants.expand(KernelCall.of("ci", Conv2d.class, "backwardInput", new float[2 * 256], KernelCases.rnd(r, 2 * 32 * 196, 1),
                KernelCases.rnd(r, 32 * 9, 1), 0, 1, 16, 16, 32, 3, 3, 0, 14, 14, 0, 2)));
        // batch 1 does not fill 8 rows
        assertNull(VectorVariants.expand(KernelCall.of("f", Dense.class, "forward", new float[512], KernelCases.rnd(r, 512, 1),
                KernelCases.rnd(r, 512 * 512 + 512, 1), 0, 512 * 512, 512, 512, 0, 1)));
    }

    @Test
    void tunedIsVectorOnCpuDevicesAndTilesElsewhere() {
        assertEquals(DeviceKernels.VECTOR, TornadoEngine.resolve(DeviceKernels.TUNED, TornadoDeviceType.CPU));
        assertEquals(DeviceKernels.TILES, TornadoEngine.resolve(DeviceKernels.TUNED, TornadoDeviceType.GPU));
        assertEquals(DeviceKernels.TILES, TornadoEngine.resolve(DeviceKernels.TUNED, TornadoDeviceType.FPGA));
        assertEquals(DeviceKernels.PLAIN, TornadoEngine.resolve(DeviceKernels.PLAIN, TornadoDeviceType.CPU));
        assertEquals(DeviceKernels.VECTOR, TornadoEngine.resolve(DeviceKernels.VECTOR, TornadoDeviceType.GPU));
    }

    @Test
    void theBiasGradientsRunInSixteenWorkGroupsOrMoreAndOtherCallsAsTheyAre() {
        float[] grads = new float[600];
        float[] dOut = new float[256 * 512];
        for (int[] countLocal : new int[][] {{512, 32}, {32, 2}, {10, 1}, {17, 1}}) {
            KernelCall dense = KernelCall.of("b", Dense.class, "backwardBias", grads, dOut, 0, 256, countLocal[0], 0, countLocal[0]);
            KernelCall c = VectorVariants.onCpuThreads(dense);
            assertEquals(List.of((long) countLocal[0]), java.util.Arrays.stream(c.launch().global()).boxed().toList());
            assertEquals(List.of((long) countLocal[1]), java.util.Arrays.stream(c.launch().local()).boxed().toList());
            assertTrue(c.launch().global()[0] / c.launch().local()[0] >= Math.min(16, countLocal[0]), c.launch().toString());
        }
        KernelCall conv = KernelCall.of("cb", Conv2d.class, "backwardBias", grads, dOut, 0, 4, 32, 12, 12, 0, 32);
        assertEquals(2L, VectorVariants.onCpuThreads(conv).launch().local()[0]);
        KernelCall relu = KernelCall.of("r", relutornado.kernels.Activation.class, "reluForward", dOut, dOut, 0, 100);
        assertTrue(VectorVariants.onCpuThreads(relu) == relu);
    }

    @Test
    void anFfnnStepRunsItsThreeWeightPacksAsOneTaskAndEqualsThePlainStep() {
        relutornado.model.Network[] nets = steppedAndFresh("ffnn", 16);
        relutornado.model.Network plain = nets[0];
        relutornado.model.Network tasks = nets[1];
        List<KernelCall> expanded = vectorTasks(relutornado.engine.Fusions.fuse(tasks.program(), relutornado.model.Network.TRAIN));
        List<KernelCall> run = VectorVariants.mergePacks(expanded);
        assertEquals(3, expanded.stream().filter(t -> t.method().getName().equals("pack16")).count(), expanded.toString());
        assertEquals(0, run.stream().filter(t -> t.method().getName().equals("pack16")).count(), run.toString());
        assertEquals(1, run.stream().filter(t -> t.method().getName().equals("pack16x3")).count(), run.toString());
        assertEquals(expanded.size() - 2, run.size());
        run.forEach(KernelCall::invoke);
        double worst = 0;
        for (int i = 0; i < plain.params.length; i++) {
            worst = Math.max(worst, Math.abs(plain.params[i] - tasks.params[i]) / Math.max(1, Math.abs(plain.params[i])));
        }
        assertTrue(worst <= RTOL, "parameters after one step differ by " + worst);
    }

    @Test
    void aPackDoesNotMoveUpPastATaskThatMayWriteItsSource() {
        int K = 20, cols = 33;
        float[] w = new float[2 * K * cols + 7], other = new float[K * cols];
        Random r = new Random(3);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        KernelCall p0 = KernelCall.of("p0", relutornado.kernels.vector.GemmVector.class, "pack16", new float[K * cols], w, 1, 1, K, K, cols);
        KernelCall p1 = KernelCall.of("p1", relutornado.kernels.vector.GemmVector.class, "pack16", new float[K * cols], w, 5 + K * cols, 1, K, K, cols);
        KernelCall writes = KernelCall.of("w", relutornado.kernels.Activation.class, "reluForward", w, other, 0, K * cols);
        KernelCall reads = KernelCall.of("r", relutornado.kernels.Activation.class, "reluForward", other, w, 0, K * cols);
        KernelCall elsewhere = KernelCall.of("e", relutornado.kernels.Activation.class, "reluForward", other, other, 0, K * cols);
        assertEquals(3, VectorVariants.mergePacks(List.of(p0, writes, p1)).size(), "a task that writes w");
        assertEquals(3, VectorVariants.mergePacks(List.of(p0, reads, p1)).size(), "a kernel not known to write only its first argument");
        List<KernelCall> merged = VectorVariants.mergePacks(List.of(p0, elsewhere, p1));
        assertEquals(2, merged.size());
        // the merged task copies what the two packs copy, the missing third matrix a 16-float copy of its own
        merged.forEach(KernelCall::invoke);
        float[] want0 = new float[K * cols], want1 = new float[K * cols];
        relutornado.kernels.vector.GemmVector.pack16(want0, w, 1, 1, K, K, cols);
        relutornado.kernels.vector.GemmVector.pack16(want1, w, 5 + K * cols, 1, K, K, cols);
        org.junit.jupiter.api.Assertions.assertArrayEquals(want0, (float[]) p0.args()[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(want1, (float[]) p1.args()[0]);
    }

    @Test
    void theChannelVectorGatherOverReorderedTapsGivesThePlainGathersFloats() {
        // N, C, H, W, KH, KW, pad, start, count: odd sizes, 'same' padding, batch 1, a sub-range
        for (int[] sh : new int[][] {{2, 16, 5, 7, 3, 3, 0, 0, 2}, {3, 32, 6, 5, 3, 3, 1, 1, 2}, {1, 16, 4, 4, 3, 3, 1, 0, 1}, {2, 16, 6, 6, 2, 3, 0, 1, 1}}) {
            int N = sh[0], C = sh[1], H = sh[2], W = sh[3], KH = sh[4], KW = sh[5], pad = sh[6], start = sh[7], count = sh[8];
            int OH = H + 2 * pad - KH + 1, OW = W + 2 * pad - KW + 1, P = OH * OW, T = C * KH * KW, OC = 3;
            Random r = new Random(C * 31 + H);
            float[] w = new float[5 + OC * T];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            float[] wKc = new float[OC * T];
            relutornado.kernels.Im2col.permuteTaps(wKc, w, 5, C, KH, KW, 0, OC);
            float[] dPatches = new float[N * P * T];
            float[] reordered = new float[N * P * T];
            for (int row = 0; row < N * P; row++) {
                for (int c = 0; c < C; c++) {
                    for (int k = 0; k < KH * KW; k++) {
                        float x = (float) r.nextGaussian();
                        dPatches[row * T + c * KH * KW + k] = x;
                        reordered[row * T + k * C + c] = x;
                        if (row < OC) {
                            assertEquals(w[5 + row * T + c * KH * KW + k], wKc[row * T + k * C + c]);
                        }
                    }
                }
            }
            float[] plain = new float[N * C * H * W];
            float[] vector = new float[N * C * H * W];
            java.util.Arrays.fill(plain, Float.NaN);
            java.util.Arrays.fill(vector, Float.NaN);
            relutornado.kernels.Im2col.gather(plain, dPatches, C, H, W, KH, KW, pad, OH, OW, start, count);
            relutornado.kernels.vector.Col2imVector.gather16(vector, reordered, C, H, W, KH, KW, pad, OH, OW, start, count);
            for (int i = 0; i < plain.length; i++) {
                assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(vector[i]), "element " + i + " of " + java.util.Arrays.toString(sh));
            }
        }
    }
}
