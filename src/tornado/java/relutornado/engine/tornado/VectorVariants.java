package relutornado.engine.tornado;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import relutornado.engine.KernelArgs;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.KernelVariants.Variant;
import relutornado.engine.Launch;
import relutornado.kernels.GemmTiles;
import relutornado.kernels.Im2col;
import relutornado.kernels.local.GemmLocal;
import relutornado.kernels.vector.AdamVector;
import relutornado.kernels.vector.Col2imVector;
import relutornado.kernels.vector.GemmVector;

/**
 * {@code --device-kernels vector}: the dense and convolution products as {@code GemmVector.gemm4/8/16} tasks (rows ×
 * vecs vectors of {@code float4/8/16} per work-item, 6 × 16 × 1 without a tuning file) and Adam as {@link AdamVector#update},
 * the TornadoVM-only part of the kernel registry ({@link relutornado.engine.KernelVariants} holds the rest). P = OH·OW,
 * T = C·KH·KW.
 * <pre>
 *   kernel                   device tasks (scratch in brackets; pack = B copied with contiguous columns)
 *   Dense.forward            gemm out = in·W + b
 *   Dense.backwardInput      pack Wᵀ; gemm dIn = dOut·Wᵀ
 *   Dense.backwardWeights    gemm dW = inᵀ·dOut
 *   Conv2d.forward           patches in → [cols] (N·P × T); pack Wᵀ; gemm [outP] = cols·Wᵀ + b;
 *                            transposeInner [outP] (N, P, OC) → out (NCHW)
 *   Conv2d.backwardInput     transposeInner dOut → [dOutP] (N, P, OC) unless shared; gemm [dCols] = dOutP·W;
 *                            gather [dCols] → dIn. C a multiple of 16 (vector family): permuteTaps W → [Wkc] with
 *                            taps (kh, kw, c); gemm [dCols] = dOutP·Wkc; Col2imVector.gather16 [dCols] → dIn
 *   Conv2d.backwardWeights   [dOutP] and [cols] as above, each unless shared; gemm dWᵀ = colsᵀ·dOutP
 *   Adam.update              AdamVector.update (float8, 8 parameters per work-item)
 *   Linalg.gramAccumulate    (local and tiles families) gemm G += inᵀ·in, upper triangle
 * </pre>
 * The local-memory family ({@link GemmLocal#gemm}, a tuning file's choice) and the scalar tiles family
 * ({@link GemmTiles#gemm}, {@code --device-kernels tiles}) have the same tasks without the pack: they read B in place
 * through its strides. Within a phase the patch matrix and the transposed gradient of a whole batch are built once
 * ({@link Shared}). Each task costs a step one host round trip besides its kernel (TornadoVM 5.2's OpenCL launch
 * writes the task's argument frame with a blocking write), so a B read in place saves a task as well as a pass.
 * Which kernels have a vector variant, each gemm's rows × cols × K ({@link Product}) and whether it fits the tile are the
 * registry's; a call that does not fit (the 10-class output layer, the first convolution's input gradient, 9 taps wide)
 * runs its scalar-tile variant. Arguments are read by the kernels' parameter names ({@link KernelArgs}).
 * Scratch arrays are the engine's: device-only work buffers, made here once per program.
 */
final class VectorVariants {
    private static final Method PATCHES = method(Im2col.class, "patches");
    private static final Method GATHER = method(Im2col.class, "gather");
    private static final Method GATHER16 = method(Col2imVector.class, "gather16");
    private static final Method PERMUTE_TAPS = method(Im2col.class, "permuteTaps");
    private static final Method TRANSPOSE_INNER = method(Im2col.class, "transposeInner");
    private static final Method ADAM = method(AdamVector.class, "update");
    private static final Method LOCAL_GEMM = method(GemmLocal.class, "gemm");
    private static final Method TILES_GEMM = method(GemmTiles.class, "gemm");
    /** Kernels whose work-items each run a long serial reduction, and few of them: the bias gradients (a channel or a unit each). */
    private static final List<Method> FEW_SERIAL_WORK_ITEMS = List.of(method(relutornado.kernels.Conv2d.class, "backwardBias"),
            method(relutornado.kernels.Dense.class, "backwardBias"));
    private static final Method RELU_BACKWARD_BIAS = method(relutornado.kernels.Dropout.class, "reluBackwardBias");
    private static final Method PACK16 = method(GemmVector.class, "pack16");
    private static final Method PACK16X3 = method(GemmVector.class, "pack16x3");
    /** Task kernels that write their first argument and nothing else: the families' products and packs. */
    private static final List<Method> WRITE_FIRST_ONLY = List.of(method(GemmVector.class, "gemm4"), method(GemmVector.class, "gemm8"),
            method(GemmVector.class, "gemm16"), method(GemmVector.class, "pack4"), method(GemmVector.class, "pack8"), PACK16, TILES_GEMM);

    private VectorVariants() {
    }

    /**
     * The device tasks for a call, or null when its kernel has no {@link Family#VECTOR} variant in the registry or its
     * product does not fit the tile (the registry's fit rule, with the family's default tuning values).
     */
    static List<KernelCall> expand(KernelCall call) {
        Variant v = KernelVariants.variant(call.method(), Family.VECTOR).orElse(null);
        return v == null ? null : expand(call, v, v.defaults());
    }

    private static final List<Method> VECTOR_GEMMS = List.of(method(GemmVector.class, "gemm4"), method(GemmVector.class, "gemm8"),
            method(GemmVector.class, "gemm16"));

    /**
     * A task as the device's backend compiles it: on SPIR-V the vector GEMMs' multiply-adds stay unfused (TornadoVM 5.2
     * emits invalid SPIR-V for an fma of vector lanes, see {@code GemmVector.fma16}); other calls and backends as they are.
     */
    static KernelCall forBackend(KernelCall call, String backend) {
        if (!"spirv".equalsIgnoreCase(backend) || !VECTOR_GEMMS.contains(call.method())) {
            return call;
        }
        Object[] args = call.args().clone();
        args[List.of(KernelArgs.names(call.method())).indexOf("fused")] = 0;
        return new KernelCall(call.name(), call.method(), args, call.launch());
    }

    /**
     * A call as the vector family launches it: the bias gradients in 16 work-groups or more, so that a CPU driver (one
     * thread per work-group) spreads their few work-items over its threads (TornadoVM's default puts up to 4,096 in one
     * group), and the fused ReLU backward with a bias gradient ({@code Dropout.reluBackwardBias}) in groups of one; other
     * calls unchanged.
     */
    static KernelCall onCpuThreads(KernelCall call) {
        if (call.launch() == null && call.method().equals(RELU_BACKWARD_BIAS)) {
            // 16 columns a work-item: 32 work-items for 512 units, each its own group
            return call.withKernel(call.method(), Launch.of(Math.max(1, (call.count() + 15) / 16)).withLocal(1));
        }
        if (call.launch() != null || !FEW_SERIAL_WORK_ITEMS.contains(call.method())) {
            return call;
        }
        int count = Math.max(1, call.count());
        int group = Math.max(1, count / 16);
        while (count % group != 0) {
            group--;
        }
        return call.withKernel(call.method(), Launch.of(count).withLocal(group));
    }

    /**
     * A phase's device tasks with up to three {@code pack16} tasks that copy out of the same array (the weights' Wᵀ
     * packs of the dense layers' backward passes) merged into one {@link GemmVector#pack16x3} at the first one's place,
     * one host round trip instead of three. A later pack moves up only past tasks that do not write its source (tasks
     * known to write only their first argument, or tasks that do not take the array) and do not touch its copy.
     */
    static List<KernelCall> mergePacks(List<KernelCall> tasks) {
        List<KernelCall> out = new ArrayList<>(tasks);
        for (int i = 0; i < out.size(); i++) {
            if (!out.get(i).method().equals(PACK16)) {
                continue;
            }
            Object source = out.get(i).args()[1];
            List<Integer> group = new ArrayList<>(List.of(i));
            for (int j = i + 1; j < out.size() && group.size() < 3; j++) {
                if (out.get(j).method().equals(PACK16) && out.get(j).args()[1] == source && movesUpTo(out, group, j)) {
                    group.add(j);
                }
            }
            if (group.size() == 1) {
                continue;
            }
            List<KernelCall> packs = group.stream().map(out::get).toList();
            Object[] args = new Object[19];
            args[0] = source;
            for (int m = 0; m < 3; m++) {
                // a missing third matrix: one row of 16 of the source's first floats into an array of its own (TornadoVM
                // 5.2's graph compiler loops forever on a task that takes one array twice)
                Object[] a = m < packs.size() ? packs.get(m).args() : new Object[] {new float[16], null, 0, 1, 1, 1, 16};
                System.arraycopy(new Object[] {a[0], a[2], a[3], a[4], a[5], a[6]}, 0, args, 1 + 6 * m, 6);
            }
            String name = String.join("+", packs.stream().map(KernelCall::name).toList());
            for (int g = group.size() - 1; g > 0; g--) {
                out.remove((int) group.get(g));
            }
            out.set(i, new KernelCall(name, PACK16X3, args));
        }
        return out;
    }

    /** Whether the pack at {@code j} may run at {@code group}'s first place: nothing between writes its source or touches its copy. */
    private static boolean movesUpTo(List<KernelCall> tasks, List<Integer> group, int j) {
        Object[] pack = tasks.get(j).args();
        for (int m = group.get(0) + 1; m < j; m++) {
            if (group.contains(m)) {
                continue;
            }
            KernelCall c = tasks.get(m);
            Object[] a = c.args();
            for (int x = 0; x < a.length; x++) {
                if (a[x] == pack[0] || a[x] == pack[1] && (x == 0 || !WRITE_FIRST_ONLY.contains(c.method()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The device tasks of a {@link Family#VECTOR} or {@link Family#LOCAL} variant with the given tuning values, or null
     * when the product does not fit them.
     */
    static List<KernelCall> expand(KernelCall call, Variant v, Map<String, Integer> params) {
        return expand(call, v, params, null);
    }

    /** As {@link #expand(KernelCall, Variant, Map)}, also for {@link Family#TILES}, whose GEMM task then runs work-groups of {@code local} sizes (null: the device's choice). */
    static List<KernelCall> expand(KernelCall call, Variant v, Map<String, Integer> params, List<Integer> local) {
        return expand(call, v, params, local, new Shared());
    }

    /**
     * The scratch arrays the expansions of one phase share. A convolution's forward pass and its weight gradient build
     * the same patch matrix of the layer's input, and its two backward passes the same transposed output gradient;
     * within a training step neither source changes in between (a layer's input is written only by the layer before
     * it, in the forward pass; its output gradient only by the layer after it, before either backward pass). So the
     * first expansion that needs such an array over the whole batch makes it with its task, and the later ones read it:
     * two fewer tasks and passes per convolution and step.
     */
    static final class Shared {
        private final Map<List<Object>, float[]> arrays = new java.util.HashMap<>();

        /** The array for (kind, source, geometry), and whether this call made it: then its producer task must run. */
        private record Lookup(float[] array, boolean made) {
        }

        private Lookup get(String kind, Object source, int size, int... geometry) {
            List<Object> key = new ArrayList<>(List.of(kind, new Identity(source), size));
            for (int g : geometry) {
                key.add(g);
            }
            float[] have = arrays.get(key);
            if (have != null) {
                return new Lookup(have, false);
            }
            float[] made = new float[size];
            arrays.put(key, made);
            return new Lookup(made, true);
        }

        /** An array as a key by identity, not by contents. */
        private record Identity(Object o) {
            @Override
            public boolean equals(Object other) {
                return other instanceof Identity i && i.o == o;
            }

            @Override
            public int hashCode() {
                return System.identityHashCode(o);
            }
        }
    }

    /**
     * As {@link #expand(KernelCall, Variant, Map, List)}, taking the patch matrices and transposed gradients of whole
     * batches from {@code shared} (one per phase) where an earlier call of the phase made them.
     */
    static List<KernelCall> expand(KernelCall call, Variant v, Map<String, Integer> params, List<Integer> local, Shared shared) {
        Product product = KernelVariants.product(call).orElse(null);
        if (!v.fits().fits(product, params)) {
            return null;
        }
        if (v.name().equals("Adam.update")) {
            // same arguments, 8 parameters per work-item
            return List.of(call.withKernel(ADAM, Launch.of(Math.max(1, (call.count() + 7) / 8))));
        }
        KernelArgs a = KernelArgs.of(call);
        String name = call.name();
        int start = call.start();
        int count = call.count();
        List<KernelCall> before = new ArrayList<>();
        List<KernelCall> after = new ArrayList<>();
        Gemm g = switch (v.name()) {
            // B = W (C, OC)
            case "Dense.forward" -> new Gemm(name, "_W", a.get("out"), 0, a.size("OC"), 1, a.size("OC"), a.get("in"), 0, a.size("C"), 1,
                    a.get("params"), a.size("wOff"), a.size("OC"), 1, a.size("C"), a.get("params"), a.size("bOff"), false, start, count);
            // B = Wᵀ (OC, C), read straight from W
            case "Dense.backwardInput" -> new Gemm(name, "_WT", a.get("dIn"), 0, a.size("C"), 1, a.size("C"), a.get("dOut"), 0, a.size("OC"), 1,
                    a.get("params"), a.size("wOff"), 1, a.size("OC"), a.size("OC"), a.get("params"), -1, false, start, count);
            // rows are the input features, B = dOut (N, OC)
            case "Dense.backwardWeights" -> new Gemm(name, "_dOut", a.get("grads"), a.size("wOff"), a.size("OC"), 1, a.size("OC"), a.get("in"), 0, 1,
                    a.size("C"), a.get("dOut"), 0, a.size("OC"), 1, a.size("N"), a.get("dOut"), -1, false, start, count);
            case "Conv2d.forward" -> {
                // B = Wᵀ (T, OC)
                int C = a.size("C"), OC = a.size("OC"), KH = a.size("KH"), KW = a.size("KW"), OH = a.size("OH"), OW = a.size("OW");
                int P = OH * OW, T = C * KH * KW;
                float[] outP = new float[(start + count) * P * OC];
                float[] cols = patches(before, shared, name + "_cols", a, start, count);
                after.add(new KernelCall(name, TRANSPOSE_INNER, new Object[] {a.get("out"), outP, P, OC, start, count}));
                yield new Gemm(name + "_gemm", "_WT", outP, 0, OC, 1, OC, cols, 0, T, 1, a.get("params"), a.size("wOff"), 1, T, T,
                        a.get("params"), a.size("bOff"), false, start * P, count * P);
            }
            case "Conv2d.backwardInput" -> {
                // B = W (OC, T)
                int C = a.size("C"), OC = a.size("OC"), KH = a.size("KH"), KW = a.size("KW"), OH = a.size("OH"), OW = a.size("OW");
                int P = OH * OW, T = C * KH * KW;
                float[] dOutP = transposedGradient(before, shared, name + "_dOutP", a, start, count);
                float[] dCols = new float[(start + count) * P * T];
                Object[] gather = {a.get("dIn"), dCols, C, a.size("H"), a.size("W"), KH, KW, a.size("pad"), OH, OW, start, count};
                if (v.family() == Family.VECTOR && C % 16 == 0) {
                    // taps reordered (kh, kw, c), so that the gather adds 16 channels of a position as one vector
                    float[] wKc = new float[OC * T];
                    before.add(new KernelCall(name + "_Wkc", PERMUTE_TAPS, new Object[] {wKc, a.get("params"), a.size("wOff"), C, KH, KW, 0, OC}));
                    after.add(new KernelCall(name, GATHER16, gather));
                    yield new Gemm(name + "_gemm", "_W", dCols, 0, T, 1, T, dOutP, 0, OC, 1, wKc, 0, T, 1, OC, a.get("params"), -1, false,
                            start * P, count * P);
                }
                after.add(new KernelCall(name, GATHER, gather));
                yield new Gemm(name + "_gemm", "_W", dCols, 0, T, 1, T, dOutP, 0, OC, 1, a.get("params"), a.size("wOff"), T, 1, OC,
                        a.get("params"), -1, false, start * P, count * P);
            }
            case "Conv2d.backwardWeights" -> {
                // the range is over output channels, the product's columns; its rows are the T taps, so the large patch
                // matrix is read once. B = dOutP's channels.
                int N = a.size("N"), C = a.size("C"), OC = a.size("OC"), KH = a.size("KH"), KW = a.size("KW");
                int OH = a.size("OH"), OW = a.size("OW");
                int P = OH * OW, T = C * KH * KW;
                float[] dOutP = transposedGradient(before, shared, name + "_dOutP", a, 0, N);
                float[] cols = patches(before, shared, name + "_cols", a, 0, N);
                yield new Gemm(name, "_dOut", a.get("grads"), a.size("wOff") + start * T, 1, T, count, cols, 0, 1, T, dOutP, start, OC, 1, N * P,
                        a.get("dOut"), -1, false, 0, T);
            }
            // the upper triangle of inᵀ·in, accumulated; B = in (N, F)
            case "Linalg.gramAccumulate" -> new Gemm(name, "_in", a.get("out"), 0, a.size("F"), 1, a.size("F"), a.get("in"), 0, 1, a.size("F"),
                    a.get("in"), 0, a.size("F"), 1, a.size("N"), a.get("in"), -1, true, start, count);
            default -> throw new IllegalStateException("the registry lists a " + v.family().flag() + " variant of " + v.name()
                    + " that VectorVariants does not build");
        };
        List<KernelCall> out = new ArrayList<>(before);
        out.addAll(switch (v.family()) {
            case VECTOR -> g.vector(params.get(KernelVariants.ROWS), params.get(KernelVariants.WIDTH), params.get(KernelVariants.VECS));
            case LOCAL -> List.of(g.local(params.get(KernelVariants.TILE), params.get(KernelVariants.WPT)));
            case TILES -> {
                Launch launch = v.launch().launch(a, params);
                yield List.of(g.tiles(params.get(KernelVariants.TILE1), params.get(KernelVariants.TILE0),
                        local == null ? launch : launch.withLocal(local.stream().mapToLong(Integer::longValue).toArray())));
            }
            default -> throw new IllegalArgumentException(v.family() + " variants are not expanded here");
        });
        out.addAll(after);
        return out;
    }

    /**
     * The patch matrix (N·P × T) of a convolution's input over images [start, start + count), with the task that builds
     * it added to {@code before} unless an earlier call of the phase built the same one (whole batches only).
     */
    private static float[] patches(List<KernelCall> before, Shared shared, String task, KernelArgs a, int start, int count) {
        int C = a.size("C"), H = a.size("H"), W = a.size("W"), KH = a.size("KH"), KW = a.size("KW"), pad = a.size("pad");
        int OH = a.size("OH"), OW = a.size("OW");
        int size = (start + count) * OH * OW * C * KH * KW;
        Shared.Lookup l = start == 0 ? shared.get("patches", a.get("in"), size, C, H, W, KH, KW, pad, OH, OW) : new Shared.Lookup(new float[size], true);
        if (l.made()) {
            before.add(new KernelCall(task, PATCHES, new Object[] {l.array(), a.get("in"), C, H, W, KH, KW, pad, OH, OW, start, count}));
        }
        return l.array();
    }

    /** dOut (N, OC, P) as (N, P, OC) over images [start, start + count); shared as {@link #patches}. */
    private static float[] transposedGradient(List<KernelCall> before, Shared shared, String task, KernelArgs a, int start, int count) {
        int OC = a.size("OC"), P = a.size("OH") * a.size("OW");
        int size = (start + count) * P * OC;
        Shared.Lookup l = start == 0 ? shared.get("dOutP", a.get("dOut"), size, OC, P) : new Shared.Lookup(new float[size], true);
        if (l.made()) {
            before.add(new KernelCall(task, TRANSPOSE_INNER, new Object[] {l.array(), a.get("dOut"), OC, P, start, count}));
        }
        return l.array();
    }

    /**
     * One product C = bias + A·B over strided operands (rows [start, start + count)), as the families' GEMM tasks build it;
     * {@code packSuffix} names the vector family's task that packs B.
     */
    private record Gemm(String name, String packSuffix, Object c, int cOff, int cis, int cjs, int cols, Object a, int aOff, int ais, int aks,
                        Object b, int bOff, int bks, int bjs, int K, Object bias, int biasOff, boolean accumulateUpper, int start, int count) {

        /**
         * {@code GemmVector.gemm<width>} (gemm4, gemm8, gemm16) with rows × vecs vectors per work-item on a grid
         * ⌈⌈cols/width⌉/vecs⌉ × ⌈count/rows⌉, reading B in place when its columns are contiguous, else after a task that
         * copies it with contiguous columns.
         */
        List<KernelCall> vector(int rows, int width, int vecs) {
            if (accumulateUpper) {
                throw new IllegalStateException("GemmVector's kernels overwrite whole rows; " + name + " accumulates a triangle");
            }
            if (rows < 1 || rows > GemmVector.MAX_ROWS) {
                throw new IllegalArgumentException("vector rows must be 1.." + GemmVector.MAX_ROWS + ", got " + rows);
            }
            if (width != 4 && width != 8 && width != 16) {
                throw new IllegalArgumentException("vector width must be 4, 8 or 16, got " + width);
            }
            if (vecs != 1 && vecs != 2) {
                throw new IllegalArgumentException("vectors per row must be 1 or 2, got " + vecs);
            }
            List<KernelCall> out = new ArrayList<>();
            Object bRead = b;
            int bReadOff = bOff;
            int bReadKs = bks;
            if (bjs != 1) {
                float[] packed = new float[K * cols];
                out.add(new KernelCall(name + packSuffix, method(GemmVector.class, "pack" + width), new Object[] {packed, b, bOff, bks, bjs, K, cols}));
                bRead = packed;
                bReadOff = 0;
                bReadKs = cols;
            }
            // one work-item per work-group: a CPU driver runs a work-group on one thread, and TornadoVM's default puts a
            // grid of up to 64 x 64 work-items in one group (the paper CNN's conv weight gradient: 8.3 against 13.5 ms)
            Launch launch = Launch.of(((cols + width - 1) / width + vecs - 1) / vecs, (count + rows - 1) / rows).withLocal(1, 1);
            out.add(new KernelCall(name, method(GemmVector.class, "gemm" + width), new Object[] {c, cOff, cis, cjs, cols, a, aOff,
                    ais, aks, bRead, bReadOff, bReadKs, K, bias, biasOff, rows, vecs, 1, start, count}, launch));
            return out;
        }

        /** {@link GemmTiles#gemm} with a tm × tn register tile per work-item on the registry's launch. */
        KernelCall tiles(int tm, int tn, Launch launch) {
            checkLocalOperands();
            return new KernelCall(name, TILES_GEMM, new Object[] {c, cOff, cis, cjs, cols, a, ais, aks, b, bOff, bks, bjs, K, biasOff,
                    accumulateUpper ? 1 : 0, tm, tn, start, count}, launch);
        }

        /** {@link GemmLocal#gemm} with work-groups of tile × tile/wpt work-items and the KernelContext. */
        KernelCall local(int tile, int wpt) {
            long groupsCols = (cols + tile - 1) / tile;
            long groupsRows = (count + tile - 1) / tile;
            Launch launch = new Launch(new long[] {Math.max(1, groupsCols) * tile, Math.max(1, groupsRows) * (tile / wpt)},
                    new long[] {tile, tile / wpt}, true);
            checkLocalOperands();
            return new KernelCall(name, LOCAL_GEMM, new Object[] {c, cOff, cis, cjs, cols, a, ais, aks, b, bOff, bks, bjs, K, biasOff,
                    accumulateUpper ? 1 : 0, tile, wpt, start, count}, launch);
        }

        /** GemmLocal and GemmTiles read A from its array's start and the bias from B's array (TornadoVM's argument limit). */
        private void checkLocalOperands() {
            if (aOff != 0 || biasOff >= 0 && bias != b) {
                throw new IllegalStateException(name + ": GemmLocal.gemm and GemmTiles.gemm read A from its start and the bias from B's array");
            }
        }
    }

    private static Method method(Class<?> owner, String name) {
        for (Method m : owner.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalStateException("no kernel " + owner.getSimpleName() + "." + name);
    }
}
