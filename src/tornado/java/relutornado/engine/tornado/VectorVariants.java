package relutornado.engine.tornado;

import java.lang.reflect.Method;
import java.util.List;
import relutornado.engine.KernelArgs;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.KernelVariants.Variant;
import relutornado.engine.Launch;
import relutornado.kernels.Im2col;
import relutornado.kernels.vector.AdamVector;
import relutornado.kernels.vector.GemmVector;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;

/**
 * {@code --device-kernels vector}: the dense and convolution products as {@link GemmVector#gemm} tasks (6×16
 * {@code float16} tiles) and Adam as {@link AdamVector#update}, the TornadoVM-only part of the kernel registry ({@link relutornado.engine.KernelVariants}
 * holds the rest). P = OH·OW, T = C·KH·KW.
 * <pre>
 *   kernel                   device tasks (scratch in brackets; pack = B into [panels])
 *   Dense.forward            pack W; gemm out = in·W + b
 *   Dense.backwardInput      pack Wᵀ; gemm dIn = dOut·Wᵀ
 *   Dense.backwardWeights    pack dOut; gemm dW = inᵀ·dOut
 *   Conv2d.forward           patches in → [cols] (N·P × T); pack Wᵀ; gemm [outP] = cols·Wᵀ + b;
 *                            transposeInner [outP] (N, P, OC) → out (NCHW)
 *   Conv2d.backwardInput     transposeInner dOut → [dOutP] (N, P, OC); pack W; gemm [dCols] = dOutP·W;
 *                            gather [dCols] → dIn
 *   Conv2d.backwardWeights   [dOutP]; pack its channels; [cols]; gemm dWᵀ = colsᵀ·dOutP
 *   Adam.update              AdamVector.update (float8, 8 parameters per work-item)
 * </pre>
 * Which kernels have a vector variant, each gemm's rows × cols × K ({@link Product}) and whether it fits the tile are the
 * registry's; a call that does not fit (the 10-class output layer, the first convolution's input gradient, 9 taps wide)
 * runs its scalar-tile variant. Arguments are read by the kernels' parameter names ({@link KernelArgs}).
 * Scratch arrays are the engine's: device-only work buffers, made here once per program.
 */
final class VectorVariants {
    private static final Method GEMM = method(GemmVector.class, "gemm");
    private static final Method PATCHES = method(Im2col.class, "patches");
    private static final Method GATHER = method(Im2col.class, "gather");
    private static final Method TRANSPOSE_INNER = method(Im2col.class, "transposeInner");
    private static final Method PACK = method(GemmVector.class, "pack");
    private static final Method ADAM = method(AdamVector.class, "update");

    private VectorVariants() {
    }

    /**
     * The device tasks for a call, or null when its kernel has no {@link Family#VECTOR} variant in the registry or its
     * product does not fit the tile (the registry's fit rule, with the family's default tuning values).
     */
    static List<KernelCall> expand(KernelCall call) {
        Variant v = KernelVariants.variant(call.method(), Family.VECTOR).orElse(null);
        Product product = KernelVariants.product(call).orElse(null);
        if (v == null || !v.fits().fits(product, v.defaults())) {
            return null;
        }
        KernelArgs a = KernelArgs.of(call);
        String name = call.name();
        int start = call.start();
        int count = call.count();
        switch (v.name()) {
            case "Dense.forward" -> {
                // B = W (C, OC)
                int C = a.size("C"), OC = a.size("OC");
                VectorFloat16 w = panels(C, OC);
                return List.of(pack(name + "_W", w, a.get("params"), a.size("wOff"), OC, 1, C, OC),
                        gemm(name, a.get("out"), 0, OC, 1, OC, a.get("in"), 0, C, 1, w, C, a.get("params"), a.size("bOff"), start, count));
            }
            case "Dense.backwardInput" -> {
                // B = Wᵀ (OC, C), packed straight from W
                int C = a.size("C"), OC = a.size("OC");
                VectorFloat16 wT = panels(OC, C);
                return List.of(pack(name + "_WT", wT, a.get("params"), a.size("wOff"), 1, OC, OC, C),
                        gemm(name, a.get("dIn"), 0, C, 1, C, a.get("dOut"), 0, OC, 1, wT, OC, a.get("params"), -1, start, count));
            }
            case "Dense.backwardWeights" -> {
                // rows are the input features, B = dOut (N, OC)
                int N = a.size("N"), C = a.size("C"), OC = a.size("OC");
                VectorFloat16 d = panels(N, OC);
                return List.of(pack(name + "_dOut", d, a.get("dOut"), 0, OC, 1, N, OC),
                        gemm(name, a.get("grads"), a.size("wOff"), OC, 1, OC, a.get("in"), 0, 1, C, d, N, a.get("dOut"), -1, start, count));
            }
            case "Conv2d.forward" -> {
                // B = Wᵀ (T, OC)
                int C = a.size("C"), OC = a.size("OC"), KH = a.size("KH"), KW = a.size("KW"), OH = a.size("OH"), OW = a.size("OW");
                int P = OH * OW, T = C * KH * KW, rows = count * P;
                float[] cols = new float[(start + count) * P * T];
                VectorFloat16 wT = panels(T, OC);
                float[] outP = new float[(start + count) * P * OC];
                return List.of(
                        new KernelCall(name + "_cols", PATCHES, new Object[] {cols, a.get("in"), C, a.size("H"), a.size("W"), KH, KW, a.size("pad"), OH, OW, start, count}),
                        pack(name + "_WT", wT, a.get("params"), a.size("wOff"), 1, T, T, OC),
                        gemm(name + "_gemm", outP, 0, OC, 1, OC, cols, 0, T, 1, wT, T, a.get("params"), a.size("bOff"), start * P, rows),
                        new KernelCall(name, TRANSPOSE_INNER, new Object[] {a.get("out"), outP, P, OC, start, count}));
            }
            case "Conv2d.backwardInput" -> {
                // B = W (OC, T)
                int C = a.size("C"), OC = a.size("OC"), KH = a.size("KH"), KW = a.size("KW"), OH = a.size("OH"), OW = a.size("OW");
                int P = OH * OW, T = C * KH * KW, rows = count * P;
                float[] dOutP = new float[(start + count) * P * OC];
                VectorFloat16 w = panels(OC, T);
                float[] dCols = new float[(start + count) * P * T];
                return List.of(
                        new KernelCall(name + "_dOutP", TRANSPOSE_INNER, new Object[] {dOutP, a.get("dOut"), OC, P, start, count}),
                        pack(name + "_W", w, a.get("params"), a.size("wOff"), T, 1, OC, T),
                        gemm(name + "_gemm", dCols, 0, T, 1, T, dOutP, 0, OC, 1, w, OC, a.get("params"), -1, start * P, rows),
                        new KernelCall(name, GATHER, new Object[] {a.get("dIn"), dCols, C, a.size("H"), a.size("W"), KH, KW, a.size("pad"), OH, OW, start, count}));
            }
            case "Conv2d.backwardWeights" -> {
                // the range is over output channels, the product's columns; its rows are the T taps, so the large patch
                // matrix is read once. B = dOutP's channels.
                int N = a.size("N"), C = a.size("C"), OC = a.size("OC"), KH = a.size("KH"), KW = a.size("KW");
                int OH = a.size("OH"), OW = a.size("OW");
                int P = OH * OW, T = C * KH * KW;
                float[] dOutP = new float[N * P * OC];
                VectorFloat16 d = panels(N * P, count);
                float[] cols = new float[N * P * T];
                return List.of(
                        new KernelCall(name + "_dOutP", TRANSPOSE_INNER, new Object[] {dOutP, a.get("dOut"), OC, P, 0, N}),
                        pack(name + "_dOut", d, dOutP, start, OC, 1, N * P, count),
                        new KernelCall(name + "_cols", PATCHES, new Object[] {cols, a.get("in"), C, a.size("H"), a.size("W"), KH, KW, a.size("pad"), OH, OW, 0, N}),
                        gemm(name, a.get("grads"), a.size("wOff") + start * T, 1, T, count, cols, 0, 1, T, d, N * P, a.get("dOut"), -1, 0, T));
            }
            case "Adam.update" -> {
                // same arguments, 8 parameters per work-item
                return List.of(call.withKernel(ADAM, Launch.of(Math.max(1, (count + 7) / 8))));
            }
            default -> throw new IllegalStateException("the registry lists a vector variant of " + v.name() + " that VectorVariants does not build");
        }
    }

    /** Panels for a K × cols operand B. */
    private static VectorFloat16 panels(int K, int cols) {
        return new VectorFloat16(GemmVector.panelSize(K, cols));
    }

    /** B(k, j) = b[bOff + k·bks + j·bjs] into panels, one work-item per (k, column tile). */
    private static KernelCall pack(String name, VectorFloat16 panels, Object b, int bOff, int bks, int bjs, int K, int cols) {
        return new KernelCall(name, PACK, new Object[] {panels, b, bOff, bks, bjs, K, cols, 0, K});
    }

    /** A gemm call in {@link GemmVector#gemm}'s argument order over rows [start, start + count), with its grid ⌈cols/16⌉ × ⌈count/6⌉. */
    private static KernelCall gemm(String name, Object c, int cOff, int cis, int cjs, int cols, Object a, int aOff, int ais, int aks,
                                   VectorFloat16 panels, int K, Object bias, int biasOff, int start, int count) {
        Launch launch = Launch.of((cols + GemmVector.COLS - 1) / GemmVector.COLS, (count + GemmVector.ROWS - 1) / GemmVector.ROWS);
        return new KernelCall(name, GEMM, new Object[] {c, cOff, cis, cjs, cols, a, aOff, ais, aks, panels, K, bias, biasOff, start, count},
                launch);
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
