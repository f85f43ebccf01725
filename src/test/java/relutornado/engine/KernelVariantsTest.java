package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import relutornado.kernels.Activation;
import relutornado.kernels.ActivationCpu;
import relutornado.kernels.Adam;
import relutornado.kernels.AdamCpu;
import relutornado.kernels.Conv2dCpu;
import relutornado.kernels.Dense;
import relutornado.kernels.DenseCpu;
import relutornado.kernels.DropoutCpu;
import relutornado.kernels.Linalg;
import relutornado.kernels.LinalgCpu;
import relutornado.kernels.Loss;
import relutornado.kernels.MaxPoolCpu;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;

/** The registry of variants says what runs where, resolves every variant, and the engines use it. */
class KernelVariantsTest {

    /** Every registered variant resolves to a method of its kernel's name and signature, or names its TornadoVM-side implementation. */
    @Test
    void everyVariantHasItsKernelsSignatureAndValidDefaults() {
        for (KernelVariants.Variant v : KernelVariants.variants()) {
            assertTrue(v.family() != KernelVariants.Family.PLAIN, v.name());
            if (v.method() != null) {
                assertEquals(v.kernel().getName(), v.method().getName(), v.name());
                assertTrue(Arrays.equals(v.kernel().getParameterTypes(), v.method().getParameterTypes()), v.name());
                assertEquals(KernelCall.describe(v.method()), v.implementation());
            } else {
                assertTrue(v.family() != KernelVariants.Family.CPU,
                        v.name() + ": only the TornadoVM source set's families have no method here");
            }
            assertTrue(v.valid().test(v.defaults()), v.name() + " " + v.family() + " rejects its own defaults " + v.defaults());
            assertEquals(v.launch() != null, v.family() == KernelVariants.Family.TILES, v.name() + " " + v.family());
        }
        // every matrix product runs on the scalar tiles and, but the Gram matrix, on the vector GEMM; every variant kernel has a CPU variant
        for (Method k : KernelVariants.products()) {
            assertTrue(KernelVariants.variant(k, KernelVariants.Family.TILES).isPresent(), KernelCall.describe(k));
            assertEquals(k.getDeclaringClass() != Linalg.class, KernelVariants.variant(k, KernelVariants.Family.VECTOR).isPresent(), KernelCall.describe(k));
            assertTrue(KernelVariants.cpu(k).isPresent(), KernelCall.describe(k));
            assertTrue(KernelVariants.variant(k, KernelVariants.Family.LOCAL).isPresent(), KernelCall.describe(k) + " has no local-memory variant");
        }
        assertEquals(7, KernelVariants.products().size());
    }

    /**
     * The vector family: rows {2,4,6,8,12} × width {4,8,16} × vecs {1,2}, 6 × 16 × 1 by default; a tile fits when count ≥
     * rows, cols ≥ vecs·width and K ≥ 8 (16 for 2 rows).
     */
    @Test
    void vectorTilesFitByRowsWidthAndDepth() {
        KernelVariants.Variant v = KernelVariants.variant(KernelVariants.products().get(0), KernelVariants.Family.VECTOR).orElseThrow();
        assertEquals(List.of(KernelVariants.ROWS, KernelVariants.WIDTH, KernelVariants.VECS), v.tuning().stream().map(KernelVariants.Tunable::name).toList());
        assertEquals(List.of(2, 4, 6, 8, 12), v.tuning().get(0).values());
        assertEquals(List.of(4, 8, 16), v.tuning().get(1).values());
        assertEquals(List.of(1, 2), v.tuning().get(2).values());
        assertEquals(tile(6, 16, 1), v.defaults());
        KernelVariants.FitRule fit = v.fits();
        assertTrue(fit.fits(new KernelVariants.Product(6, 16, 8), v.defaults()));
        assertFalse(fit.fits(new KernelVariants.Product(5, 16, 8), v.defaults()), "5 rows < 6");
        assertFalse(fit.fits(new KernelVariants.Product(6, 15, 8), v.defaults()), "15 columns < 16");
        assertFalse(fit.fits(new KernelVariants.Product(6, 16, 7), v.defaults()), "K 7 < " + KernelVariants.VECTOR_MIN_DEPTH);
        // the 10-class output layer fits float8 tiles, batch 1 fits none
        assertTrue(fit.fits(new KernelVariants.Product(64, 10, 512), tile(12, 8, 1)));
        assertFalse(fit.fits(new KernelVariants.Product(64, 10, 512), tile(2, 16, 1)));
        assertFalse(fit.fits(new KernelVariants.Product(1, 512, 512), tile(2, 4, 1)));
        // 2 rows per work-item want K >= 16 (TornadoVM 5.2 does not compile them below)
        assertTrue(fit.fits(new KernelVariants.Product(2, 4, 16), tile(2, 4, 1)));
        assertFalse(fit.fits(new KernelVariants.Product(37, 19, 13), tile(2, 8, 1)));
        assertTrue(fit.fits(new KernelVariants.Product(37, 19, 13), tile(4, 8, 1)));
        // two vectors a row want twice the columns
        assertTrue(fit.fits(new KernelVariants.Product(8, 32, 8), tile(8, 16, 2)));
        assertFalse(fit.fits(new KernelVariants.Product(8, 31, 8), tile(8, 16, 2)), "31 columns < 2 × 16");
        assertTrue(fit.fits(new KernelVariants.Product(8, 31, 8), tile(8, 8, 2)));
    }

    private static java.util.Map<String, Integer> tile(int rows, int width, int vecs) {
        return java.util.Map.of(KernelVariants.ROWS, rows, KernelVariants.WIDTH, width, KernelVariants.VECS, vecs);
    }

    /** The docs table is generated from the registry: one row per (kernel, family), each naming what runs. */
    @Test
    void markdownTableListsEveryVariant() throws java.io.IOException {
        String table = KernelVariants.markdownTable();
        List<String> rows = table.lines().skip(2).toList();
        assertEquals(KernelVariants.variants().size(), rows.size(), table);
        for (KernelVariants.Variant v : KernelVariants.variants()) {
            String row = "| " + v.name() + " | " + v.family().flag() + " | " + v.implementation() + " |";
            assertTrue(table.contains(row), row + " missing from\n" + table);
        }
        assertTrue(table.contains("| Conv2d.forward | tiles | GemmTiles.gemm | tile0 {2/4/8} (4), tile1 {2/4/8} (4) | ⌈cols/tile0⌉, ⌈rows/tile1⌉"), table);
        // a docs page that carries the table between the markers must carry it as generated (regenerate with KernelVariants.main)
        java.nio.file.Path docs = java.nio.file.Path.of("..", "docs");
        if (java.nio.file.Files.isDirectory(docs)) {
            try (var pages = java.nio.file.Files.list(docs)) {
                for (java.nio.file.Path page : pages.filter(f -> f.toString().endsWith(".md")).toList()) {
                    String text = java.nio.file.Files.readString(page);
                    int from = text.indexOf(TABLE_BEGIN);
                    if (from >= 0) {
                        int to = text.indexOf(TABLE_END, from);
                        assertTrue(to > 0, page + ": " + TABLE_BEGIN + " without " + TABLE_END);
                        assertEquals(table, text.substring(from + TABLE_BEGIN.length(), to).strip() + "\n",
                                page + "'s variant table is stale: paste the output of KernelVariants.main between its markers");
                    }
                }
            }
        }
    }

    static final String TABLE_BEGIN = "<!-- variant-table:begin -->";
    static final String TABLE_END = "<!-- variant-table:end -->";

    /** Every kernel-shaped public method of a variant class is in the registry (none is dead code, none found by name). */
    @Test
    void everyVariantMethodIsRegistered() {
        List<Method> registered = new ArrayList<>();
        KernelVariants.variants().forEach(v -> registered.add(v.method()));
        List<Class<?>> owners = KernelVariants.variants().stream().filter(v -> v.method() != null)
                .<Class<?>>map(v -> v.method().getDeclaringClass()).distinct().toList();
        assertEquals(List.of(DenseCpu.class, Conv2dCpu.class, LinalgCpu.class,
                ActivationCpu.class, DropoutCpu.class, MaxPoolCpu.class, AdamCpu.class), owners);
        for (Class<?> c : owners) {
            for (Method m : c.getDeclaredMethods()) {
                Class<?>[] t = m.getParameterTypes();
                boolean kernelShaped = Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                        && t.length > 2 && t[t.length - 1] == int.class && t[t.length - 2] == int.class && t[0] == float[].class;
                if (kernelShaped) {
                    assertTrue(registered.contains(m), KernelCall.describe(m) + " is not in KernelVariants");
                }
            }
        }
    }

    /** Arguments are found by the kernel's parameter names; an unknown name is an error naming the kernel and its arguments. */
    @Test
    void kernelArgumentsAreFoundByName() {
        var fwd = KernelCall.of("d", Dense.class, "forward", new float[6], new float[4], new float[9], 0, 6, 2, 3, 0, 2);
        KernelArgs a = KernelArgs.of(fwd);
        assertEquals(List.of("out", "in", "params", "wOff", "bOff", "C", "OC", "start", "count"), List.copyOf(a.byName().keySet()));
        assertEquals(2, a.size("C"));
        assertEquals(3, a.size("OC"));
        var e = assertThrows(IllegalArgumentException.class, () -> a.size("OH"));
        assertTrue(e.getMessage().contains("Dense.forward") && e.getMessage().contains("[out, in"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.size("in"));
        assertEquals(new KernelVariants.Product(2, 3, 2), KernelVariants.product(fwd).orElseThrow());
    }

    @Test
    void aKernelWithoutVariantsRunsAsWrittenEverywhere() {
        var loss = KernelCall.of("l", Loss.class, "softmaxBackward", new float[1], new float[1], new int[1], new int[1], 1, 0, 1);
        assertTrue(KernelVariants.cpu(loss.method()).isEmpty());
        assertTrue(KernelVariants.variants().stream().noneMatch(v -> v.kernel().equals(loss.method())));
        var adam = KernelCall.of("a", Adam.class, "update", new float[1], new float[1], new float[1], new float[1], new float[4], 0, 1);
        assertTrue(KernelVariants.cpu(adam.method()).isPresent(), "a CPU variant only");
        assertTrue(KernelVariants.variant(adam.method(), KernelVariants.Family.TILES).isEmpty(), "no tiles variant");
        var relu = KernelCall.of("r", Activation.class, "reluForward", new float[1], new float[1], 0, 1);
        assertTrue(KernelVariants.cpu(relu.method()).isPresent(), "a CPU variant only");
        assertTrue(KernelVariants.variant(relu.method(), KernelVariants.Family.TILES).isEmpty(), "no tiles variant");
    }

    /** The tiles family's GEMM grid: ⌈cols/tile0⌉ × ⌈rows/tile1⌉ of the product, with the defaults (4×4) and other tiles. */
    @Test
    void tilesLaunchCoversTheProductWithTheirTile() {
        int N = 9, C = 5, OC = 10;
        var fwd = KernelCall.of("dense0_fwd", Dense.class, "forward", new float[N * OC], new float[N * C], new float[C * OC + OC], 0, C * OC, C, OC, 0, N);
        Launch dev = tilesLaunch(fwd, null);
        assertTrue(Arrays.equals(new long[] {3, 3}, dev.global()), dev.toString());
        assertNull(dev.local());
        assertFalse(dev.kernelContext());
        assertTrue(Arrays.equals(new long[] {2, 5}, tilesLaunch(fwd, Map.of(KernelVariants.TILE0, 8, KernelVariants.TILE1, 2)).global()));
        // local sizes round the global sizes up to whole work-groups
        assertTrue(Arrays.equals(new long[] {8, 4}, dev.withLocal(8, 4).global()));
        assertThrows(IllegalArgumentException.class, () -> Launch.of(0, 3));
        var gram = KernelCall.of("gram", Linalg.class, "gramAccumulate", new float[49], new float[21], 3, 7, 0, 7);
        assertTrue(Arrays.equals(new long[] {2, 2}, tilesLaunch(gram, null).global()));
    }

    /**
     * The convolutions' grids come from their products (rows = count·OH·OW positions or the taps), from sizes chosen so
     * that every size tiles differently: reading any other argument changes a number.
     */
    @Test
    void convolutionTilesLaunchTheirProducts() {
        int C = 6, H = 11, W = 13, OC = 9, KH = 3, KW = 2, pad = 1;
        int OH = relutornado.kernels.Conv2d.outputSize(H, KH, pad), OW = relutornado.kernels.Conv2d.outputSize(W, KW, pad);
        assertEquals(List.of(11, 14), List.of(OH, OW));
        float[] f = new float[1];
        var fwd = KernelCall.of("c", relutornado.kernels.Conv2d.class, "forward", f, f, f, 0, 0, C, H, W, OC, KH, KW, pad, OH, OW, 2, 7);
        // ⌈OC/4⌉ = ⌈9/4⌉; ⌈count·OH·OW/4⌉ = ⌈7·154/4⌉
        assertGrid(fwd, 3, 270);
        var bwdIn = KernelCall.of("c", relutornado.kernels.Conv2d.class, "backwardInput", f, f, f, 0, C, H, W, OC, KH, KW, pad, OH, OW, 2, 7);
        // ⌈C·KH·KW/4⌉ = ⌈36/4⌉; ⌈7·154/4⌉
        assertGrid(bwdIn, 9, 270);
        var bwdW = KernelCall.of("c", relutornado.kernels.Conv2d.class, "backwardWeights", f, f, f, 0, 5, C, H, W, OC, KH, KW, pad, OH, OW, 0, 9);
        // ⌈count/4⌉ = ⌈9/4⌉ (output channels are the columns); ⌈C·KH·KW/4⌉ = ⌈36/4⌉
        assertGrid(bwdW, 3, 9);
        assertEquals(new KernelVariants.Product(7 * 154, OC, C * KH * KW), KernelVariants.product(fwd).orElseThrow());
        assertEquals(new KernelVariants.Product(7 * 154, C * KH * KW, OC), KernelVariants.product(bwdIn).orElseThrow());
        assertEquals(new KernelVariants.Product(C * KH * KW, 9, 5 * 154), KernelVariants.product(bwdW).orElseThrow());
    }

    private static Launch tilesLaunch(KernelCall call, Map<String, Integer> params) {
        KernelVariants.Variant v = KernelVariants.variant(call.method(), KernelVariants.Family.TILES).orElseThrow();
        return v.launch().launch(KernelArgs.of(call), params == null ? v.defaults() : params);
    }

    private static void assertGrid(KernelCall call, long dim0, long dim1) {
        assertEquals(List.of(dim0, dim1), Arrays.stream(tilesLaunch(call, null).global()).boxed().toList(), KernelCall.describe(call.method()));
    }

    /** java-parallel runs the registered CPU variants (Conv2dCpu, DenseCpu, LinalgCpu, the memory-bound passes') in their kernels' place. */
    @Test
    void parallelEngineSubstitutesTheRegisteredCpuVariants() {
        if (!ParallelJavaEngine.vectorApiPresent()) {
            throw new AssertionError("tests run with --add-modules jdk.incubator.vector (see pom.xml)");
        }
        Network cnn = new Network(ModelSpec.cnn(1, 16, 16, 10, Head.SOFTMAX), 4);
        try (ParallelJavaEngine vector = new ParallelJavaEngine(2, true); ParallelJavaEngine plain = new ParallelJavaEngine(2, false)) {
            List<String> ran = vector.kernelsOf(cnn.program(), Network.TRAIN).stream().map(KernelCall::describe).toList();
            assertTrue(ran.contains("Conv2dCpu.forward") && ran.contains("Conv2dCpu.backwardInput") && ran.contains("Conv2dCpu.backwardWeights"), ran.toString());
            assertTrue(ran.contains("DenseCpu.forward") && ran.contains("DenseCpu.backwardWeights"), ran.toString());
            assertFalse(ran.contains("Conv2d.forward") || ran.contains("Dense.forward"), ran.toString());
            assertTrue(ran.contains("Conv2dCpu.backwardBias") && ran.contains("MaxPoolCpu.backward2x2")
                    && ran.contains("ActivationCpu.reluBackward") && ran.contains("DropoutCpu.forward"), ran.toString());
            assertTrue(ran.contains("DenseCpu.backwardBias") && ran.contains("AdamCpu.update"), ran.toString());
            assertTrue(ran.contains("Loss.softmaxForward"), "kernels without a variant stay: " + ran);
            List<String> plainRan = plain.kernelsOf(cnn.program(), Network.TRAIN).stream().map(KernelCall::describe).toList();
            assertTrue(plainRan.stream().noneMatch(n -> n.contains("Cpu.")), plainRan.toString());

            Program pca = new Program("pca");
            float[] gram = pca.buffer("gram", new float[9], Program.Role.STATE);
            float[] chunk = pca.buffer("chunk", new float[6], Program.Role.INPUT);
            pca.phase("run", List.of(KernelCall.of("gram", Linalg.class, "gramAccumulate", gram, chunk, 2, 3, 0, 3)));
            assertEquals(List.of("LinalgCpu.gramAccumulate"), vector.kernelsOf(pca, "run").stream().map(KernelCall::describe).toList());
        }
    }
}
