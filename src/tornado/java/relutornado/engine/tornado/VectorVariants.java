package relutornado.engine.tornado;

import java.lang.reflect.Method;
import java.util.List;
import relutornado.engine.KernelCall;
import relutornado.engine.Launch;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Dense;
import relutornado.kernels.Im2col;
import relutornado.kernels.vector.AdamVector;
import relutornado.kernels.vector.GemmVector;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;

/**
 * {@code --device-kernels vector}: the dense and convolution products as {@link GemmVector#gemm} tasks (6×16
 * {@code float16} tiles) and Adam as {@link AdamVector#update}, the TornadoVM-only part of the kernel registry ({@link relutornado.engine.KernelVariants}
 * holds the rest). P = OH·OW, T = C·KH·KW.
 * <pre>
 *   kernel                   device tasks (scratch in brackets; pack = B into [panels])                    gemm rows, cols, K
 *   Dense.forward            pack W; gemm out = in·W + b                                                  count, OC, C
 *   Dense.backwardInput      pack Wᵀ; gemm dIn = dOut·Wᵀ                                                  count, C, OC
 *   Dense.backwardWeights    pack dOut; gemm dW = inᵀ·dOut                                                count, OC, N
 *   Conv2d.forward           patches in → [cols] (N·P × T); pack Wᵀ; gemm [outP] = cols·Wᵀ + b;           N·P, OC, T
 *                            transposeInner [outP] (N, P, OC) → out (NCHW)
 *   Conv2d.backwardInput     transposeInner dOut → [dOutP] (N, P, OC); pack W; gemm [dCols] = dOutP·W;    N·P, T, OC
 *                            gather [dCols] → dIn
 *   Conv2d.backwardWeights   [dOutP]; pack its channels; [cols]; gemm dWᵀ = colsᵀ·dOutP                   T, count, N·P
 *   Adam.update              AdamVector.update (float8, 8 parameters per work-item)                        always
 * </pre>
 * A call whose product does not suit the tile ({@link GemmVector#fits}: the 10-class output layer, the first
 * convolution's input gradient, 9 taps wide), and every other kernel, runs its {@link relutornado.engine.KernelVariants} device variant.
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

    /** The device tasks for a call, or null when it has no vector variant or its product does not suit the tile. */
    static List<KernelCall> expand(KernelCall call) {
        Object[] a = call.args();
        String kernel = KernelCall.describe(call.method());
        String name = call.name();
        int start = call.start();
        int count = call.count();
        switch (kernel) {
            case "Dense.forward" -> {
                // (out, in, params, wOff, bOff, C, OC, start, count): B = W (C, OC)
                int C = (Integer) a[5], OC = (Integer) a[6];
                if (!GemmVector.fits(count, OC, C)) {
                    return null;
                }
                VectorFloat16 w = panels(C, OC);
                return List.of(pack(name + "_W", w, a[2], (Integer) a[3], OC, 1, C, OC),
                        gemm(name, a[0], 0, OC, 1, OC, a[1], 0, C, 1, w, C, a[2], (Integer) a[4], start, count));
            }
            case "Dense.backwardInput" -> {
                // (dIn, dOut, params, wOff, C, OC, start, count): B = Wᵀ (OC, C), packed straight from W
                int C = (Integer) a[4], OC = (Integer) a[5];
                if (!GemmVector.fits(count, C, OC)) {
                    return null;
                }
                VectorFloat16 wT = panels(OC, C);
                return List.of(pack(name + "_WT", wT, a[2], (Integer) a[3], 1, OC, OC, C),
                        gemm(name, a[0], 0, C, 1, C, a[1], 0, OC, 1, wT, OC, a[2], -1, start, count));
            }
            case "Dense.backwardWeights" -> {
                // (grads, dOut, in, wOff, N, C, OC, start, count): rows are the input features, B = dOut (N, OC)
                int N = (Integer) a[4], C = (Integer) a[5], OC = (Integer) a[6];
                if (!GemmVector.fits(count, OC, N)) {
                    return null;
                }
                VectorFloat16 d = panels(N, OC);
                return List.of(pack(name + "_dOut", d, a[1], 0, OC, 1, N, OC),
                        gemm(name, a[0], (Integer) a[3], OC, 1, OC, a[2], 0, 1, C, d, N, a[1], -1, start, count));
            }
            case "Conv2d.forward" -> {
                // (out, in, params, wOff, bOff, C, H, W, OC, KH, KW, pad, OH, OW, start, count): B = Wᵀ (T, OC)
                int C = (Integer) a[5], OC = (Integer) a[8], KH = (Integer) a[9], KW = (Integer) a[10], OH = (Integer) a[12], OW = (Integer) a[13];
                int P = OH * OW, T = C * KH * KW, rows = count * P;
                if (!GemmVector.fits(rows, OC, T)) {
                    return null;
                }
                float[] cols = new float[(start + count) * P * T];
                VectorFloat16 wT = panels(T, OC);
                float[] outP = new float[(start + count) * P * OC];
                return List.of(
                        new KernelCall(name + "_cols", PATCHES, new Object[] {cols, a[1], C, a[6], a[7], KH, KW, a[11], OH, OW, start, count}),
                        pack(name + "_WT", wT, a[2], (Integer) a[3], 1, T, T, OC),
                        gemm(name + "_gemm", outP, 0, OC, 1, OC, cols, 0, T, 1, wT, T, a[2], (Integer) a[4], start * P, rows),
                        new KernelCall(name, TRANSPOSE_INNER, new Object[] {a[0], outP, P, OC, start, count}));
            }
            case "Conv2d.backwardInput" -> {
                // (dIn, dOut, params, wOff, C, H, W, OC, KH, KW, pad, OH, OW, start, count): B = W (OC, T)
                int C = (Integer) a[4], OC = (Integer) a[7], KH = (Integer) a[8], KW = (Integer) a[9], OH = (Integer) a[11], OW = (Integer) a[12];
                int P = OH * OW, T = C * KH * KW, rows = count * P;
                if (!GemmVector.fits(rows, T, OC)) {
                    return null;
                }
                float[] dOutP = new float[(start + count) * P * OC];
                VectorFloat16 w = panels(OC, T);
                float[] dCols = new float[(start + count) * P * T];
                return List.of(
                        new KernelCall(name + "_dOutP", TRANSPOSE_INNER, new Object[] {dOutP, a[1], OC, P, start, count}),
                        pack(name + "_W", w, a[2], (Integer) a[3], T, 1, OC, T),
                        gemm(name + "_gemm", dCols, 0, T, 1, T, dOutP, 0, OC, 1, w, OC, a[2], -1, start * P, rows),
                        new KernelCall(name, GATHER, new Object[] {a[0], dCols, C, a[5], a[6], KH, KW, a[10], OH, OW, start, count}));
            }
            case "Conv2d.backwardWeights" -> {
                // (grads, dOut, in, wOff, N, C, H, W, OC, KH, KW, pad, OH, OW, start, count): the range is over output channels,
                // the product's columns; its rows are the T taps, so the large patch matrix is read once. B = dOutP's channels.
                int N = (Integer) a[4], C = (Integer) a[5], OC = (Integer) a[8], KH = (Integer) a[9], KW = (Integer) a[10];
                int OH = (Integer) a[12], OW = (Integer) a[13];
                int P = OH * OW, T = C * KH * KW;
                if (!GemmVector.fits(T, count, N * P)) {
                    return null;
                }
                float[] dOutP = new float[N * P * OC];
                VectorFloat16 d = panels(N * P, count);
                float[] cols = new float[N * P * T];
                return List.of(
                        new KernelCall(name + "_dOutP", TRANSPOSE_INNER, new Object[] {dOutP, a[1], OC, P, 0, N}),
                        pack(name + "_dOut", d, dOutP, start, OC, 1, N * P, count),
                        new KernelCall(name + "_cols", PATCHES, new Object[] {cols, a[2], C, a[6], a[7], KH, KW, a[11], OH, OW, 0, N}),
                        gemm(name, a[0], (Integer) a[3] + start * T, 1, T, count, cols, 0, 1, T, d, N * P, a[1], -1, 0, T));
            }
            case "Adam.update" -> {
                // same arguments, 8 parameters per work-item
                return List.of(call.withKernel(ADAM, Launch.of(Math.max(1, (count + 7) / 8))));
            }
            default -> {
                return null;
            }
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
