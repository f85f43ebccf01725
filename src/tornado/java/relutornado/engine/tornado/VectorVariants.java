package relutornado.engine.tornado;

import java.lang.reflect.Method;
import java.util.List;
import relutornado.engine.KernelCall;
import relutornado.engine.Launch;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Dense;
import relutornado.kernels.Im2col;
import relutornado.kernels.Linalg;
import relutornado.kernels.vector.GemmVector;

/**
 * {@code --device-kernels vector}: the dense and convolution products as {@link GemmVector#gemm} tasks (8×32
 * {@code float16} tiles), the TornadoVM-only part of the kernel registry ({@link relutornado.engine.KernelVariants}
 * holds the rest). P = OH·OW, T = C·KH·KW.
 * <pre>
 *   kernel                   device tasks (scratch in brackets)                                  when (rows, cols, K of the gemm)
 *   Dense.forward            gemm out = in·W + b                                                 count, OC, C
 *   Dense.backwardInput      transpose W → [Wᵀ]; gemm dIn = dOut·Wᵀ                              count, C, OC
 *   Dense.backwardWeights    gemm dW = inᵀ·dOut                                                  count, OC, N
 *   Conv2d.forward           patches in → [cols]; packWeights → [Wᵀ | b];                        N·P, OC, T
 *                            gemm [outP] = cols·Wᵀ + b; transposeInner [outP] (N, P, OC) → out
 *   Conv2d.backwardInput     transposeInner dOut → [dOutP] (N, P, OC); gemm [dCols] = dOutP·W;   N·P, T, OC
 *                            gather [dCols] → dIn
 *   Conv2d.backwardWeights   transposeInner dOut → [dOutP]; patches in → [cols];                 T, count, N·P
 *                            gemm dWᵀ = colsᵀ·dOutP
 * </pre>
 * A call whose product does not suit the tile ({@link GemmVector#fits}: the 10-class output layer, the first
 * convolution's input gradient, 9 taps wide), and every other kernel, runs its {@link relutornado.engine.KernelVariants} device variant.
 * Scratch arrays are the engine's: device-only work buffers, made here once per program.
 */
final class VectorVariants {
    private static final Method GEMM = method(GemmVector.class, "gemm");
    private static final Method TRANSPOSE = method(Linalg.class, "transpose");
    private static final Method PATCHES = method(Im2col.class, "patches");
    private static final Method GATHER = method(Im2col.class, "gather");
    private static final Method TRANSPOSE_INNER = method(Im2col.class, "transposeInner");
    private static final Method PACK_WEIGHTS = method(Im2col.class, "packWeights");

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
                // (out, in, params, wOff, bOff, C, OC, start, count)
                int C = (Integer) a[5], OC = (Integer) a[6];
                return !GemmVector.fits(count, OC, C) ? null : List.of(gemm(name, a[0], 0, OC, 1, OC, a[1], 0, C, 1,
                        a[2], (Integer) a[3], OC, 1, C, (Integer) a[4], start, count));
            }
            case "Dense.backwardInput" -> {
                // (dIn, dOut, params, wOff, C, OC, start, count); W is (C, OC), Wᵀ (OC, C) makes B contiguous
                int C = (Integer) a[4], OC = (Integer) a[5];
                if (!GemmVector.fits(count, C, OC)) {
                    return null;
                }
                float[] wT = new float[OC * C];
                return List.of(new KernelCall(name + "_wT", TRANSPOSE, new Object[] {wT, a[2], a[3], C, OC, 0, C}),
                        gemm(name, a[0], 0, C, 1, C, a[1], 0, OC, 1, wT, 0, C, 1, OC, -1, start, count));
            }
            case "Dense.backwardWeights" -> {
                // (grads, dOut, in, wOff, N, C, OC, start, count): rows are the input features
                int N = (Integer) a[4], C = (Integer) a[5], OC = (Integer) a[6];
                return !GemmVector.fits(count, OC, N) ? null : List.of(gemm(name, a[0], (Integer) a[3], OC, 1, OC, a[2], 0, 1, C,
                        a[1], 0, OC, 1, N, -1, start, count));
            }
            case "Conv2d.forward" -> {
                // (out, in, params, wOff, bOff, C, H, W, OC, KH, KW, pad, OH, OW, start, count)
                int C = (Integer) a[5], OC = (Integer) a[8], KH = (Integer) a[9], KW = (Integer) a[10], OH = (Integer) a[12], OW = (Integer) a[13];
                int P = OH * OW, T = C * KH * KW, rows = count * P;
                if (!GemmVector.fits(rows, OC, T)) {
                    return null;
                }
                float[] cols = new float[(start + count) * P * T];
                float[] wT = new float[T * OC + OC];
                float[] outP = new float[(start + count) * P * OC];
                return List.of(
                        new KernelCall(name + "_cols", PATCHES, new Object[] {cols, a[1], C, a[6], a[7], KH, KW, a[11], OH, OW, start, count}),
                        new KernelCall(name + "_wT", PACK_WEIGHTS, new Object[] {wT, a[2], a[3], a[4], T, OC, 0, OC}),
                        gemm(name + "_gemm", outP, 0, OC, 1, OC, cols, 0, T, 1, wT, 0, OC, 1, T, T * OC, start * P, rows),
                        new KernelCall(name, TRANSPOSE_INNER, new Object[] {a[0], outP, P, OC, start, count}));
            }
            case "Conv2d.backwardInput" -> {
                // (dIn, dOut, params, wOff, C, H, W, OC, KH, KW, pad, OH, OW, start, count)
                int C = (Integer) a[4], OC = (Integer) a[7], KH = (Integer) a[8], KW = (Integer) a[9], OH = (Integer) a[11], OW = (Integer) a[12];
                int P = OH * OW, T = C * KH * KW, rows = count * P;
                if (!GemmVector.fits(rows, T, OC)) {
                    return null;
                }
                float[] dOutP = new float[(start + count) * P * OC];
                float[] dCols = new float[(start + count) * P * T];
                return List.of(
                        new KernelCall(name + "_dOutP", TRANSPOSE_INNER, new Object[] {dOutP, a[1], OC, P, start, count}),
                        gemm(name + "_gemm", dCols, 0, T, 1, T, dOutP, 0, OC, 1, a[2], (Integer) a[3], T, 1, OC, -1, start * P, rows),
                        new KernelCall(name, GATHER, new Object[] {a[0], dCols, C, a[5], a[6], KH, KW, a[10], OH, OW, start, count}));
            }
            case "Conv2d.backwardWeights" -> {
                // (grads, dOut, in, wOff, N, C, H, W, OC, KH, KW, pad, OH, OW, start, count): the range is over output channels,
                // the product's columns; its rows are the T taps, so the large patch matrix is read once
                int N = (Integer) a[4], C = (Integer) a[5], OC = (Integer) a[8], KH = (Integer) a[9], KW = (Integer) a[10];
                int OH = (Integer) a[12], OW = (Integer) a[13];
                int P = OH * OW, T = C * KH * KW;
                if (!GemmVector.fits(T, count, N * P)) {
                    return null;
                }
                float[] dOutP = new float[N * P * OC];
                float[] cols = new float[N * P * T];
                return List.of(
                        new KernelCall(name + "_dOutP", TRANSPOSE_INNER, new Object[] {dOutP, a[1], OC, P, 0, N}),
                        new KernelCall(name + "_cols", PATCHES, new Object[] {cols, a[2], C, a[6], a[7], KH, KW, a[11], OH, OW, 0, N}),
                        gemm(name, a[0], (Integer) a[3] + start * T, 1, T, count, cols, 0, 1, T, dOutP, start, OC, 1, N * P, -1, 0, T));
            }
            default -> {
                return null;
            }
        }
    }

    /** A gemm call in {@link GemmVector#gemm}'s argument order over rows [start, start + count), with its grid ⌈cols/32⌉ × ⌈count/8⌉. */
    private static KernelCall gemm(String name, Object c, int cOff, int cis, int cjs, int cols, Object a, int aOff, int ais, int aks,
                                   Object b, int bOff, int bks, int bjs, int K, int biasOff, int start, int count) {
        Launch launch = Launch.of((cols + GemmVector.COLS - 1) / GemmVector.COLS, (count + GemmVector.ROWS - 1) / GemmVector.ROWS);
        return new KernelCall(name, GEMM, new Object[] {c, cOff, cis, cjs, cols, a, aOff, ais, aks, b, bOff, bks, bjs, K, biasOff,
                start, count}, launch);
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
