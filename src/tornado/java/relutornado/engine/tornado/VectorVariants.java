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
 *   Conv2d.forward           patches in → [cols]; packWeights → [Wᵀ | b]; per image gemm         P, OC, T
 *                            out(n) = cols(n)·Wᵀ + b, stored channel-major (NCHW)
 *   Conv2d.backwardInput     per image gemm [dcols](n) = dOut(n)ᵀ·W; gather [dcols] → dIn        P, T, OC
 *   Conv2d.backwardWeights   swapOuter dOut → [dOut as (OC, N·P)]; patches in → [cols];          count, T, N·P
 *                            gemm dW = dOut·cols
 * </pre>
 * A call whose product does not suit the tile ({@link GemmVector#fits}: the 10-class output layer, the first
 * convolution's 9 taps), and every other kernel, runs its {@link relutornado.engine.KernelVariants} device variant.
 * Scratch arrays are the engine's: device-only work buffers, made here once per program.
 */
final class VectorVariants {
    private static final Method GEMM = method(GemmVector.class, "gemm");
    private static final Method TRANSPOSE = method(Linalg.class, "transpose");
    private static final Method PATCHES = method(Im2col.class, "patches");
    private static final Method GATHER = method(Im2col.class, "gather");
    private static final Method SWAP_OUTER = method(Im2col.class, "swapOuter");
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
                return !GemmVector.fits(count, OC, C) ? null : List.of(gemm(name, a[0], start * OC, OC, 1, 0, OC,
                        a[1], start * C, C, 1, 0, a[2], (Integer) a[3], OC, 1, C, (Integer) a[4], count, 1));
            }
            case "Dense.backwardInput" -> {
                // (dIn, dOut, params, wOff, C, OC, start, count); W is (C, OC), Wᵀ (OC, C) makes B contiguous
                int C = (Integer) a[4], OC = (Integer) a[5];
                if (!GemmVector.fits(count, C, OC)) {
                    return null;
                }
                float[] wT = new float[OC * C];
                return List.of(new KernelCall(name + "_wT", TRANSPOSE, new Object[] {wT, a[2], a[3], C, OC, 0, C}),
                        gemm(name, a[0], start * C, C, 1, 0, C, a[1], start * OC, OC, 1, 0, wT, 0, C, 1, OC, -1, count, 1));
            }
            case "Dense.backwardWeights" -> {
                // (grads, dOut, in, wOff, N, C, OC, start, count): rows are the input features
                int N = (Integer) a[4], C = (Integer) a[5], OC = (Integer) a[6];
                return !GemmVector.fits(count, OC, N) ? null : List.of(gemm(name, a[0], (Integer) a[3] + start * OC, OC, 1, 0, OC,
                        a[2], start, 1, C, 0, a[1], 0, OC, 1, N, -1, count, 1));
            }
            case "Conv2d.forward" -> {
                // (out, in, params, wOff, bOff, C, H, W, OC, KH, KW, pad, OH, OW, start, count)
                int C = (Integer) a[5], OC = (Integer) a[8], KH = (Integer) a[9], KW = (Integer) a[10], OH = (Integer) a[12], OW = (Integer) a[13];
                int P = OH * OW, T = C * KH * KW;
                if (!GemmVector.fits(P, OC, T)) {
                    return null;
                }
                float[] cols = new float[(start + count) * P * T];
                float[] wT = new float[T * OC + OC];
                return List.of(
                        new KernelCall(name + "_cols", PATCHES, new Object[] {cols, a[1], C, a[6], a[7], KH, KW, a[11], OH, OW, start, count}),
                        new KernelCall(name + "_wT", PACK_WEIGHTS, new Object[] {wT, a[2], a[3], a[4], T, OC, 0, OC}),
                        batched(name, a[0], 0, 1, P, OC * P, OC, cols, 0, T, 1, P * T, wT, 0, OC, 1, T, T * OC, P, start, count));
            }
            case "Conv2d.backwardInput" -> {
                // (dIn, dOut, params, wOff, C, H, W, OC, KH, KW, pad, OH, OW, start, count)
                int C = (Integer) a[4], OC = (Integer) a[7], KH = (Integer) a[8], KW = (Integer) a[9], OH = (Integer) a[11], OW = (Integer) a[12];
                int P = OH * OW, T = C * KH * KW;
                if (!GemmVector.fits(P, T, OC)) {
                    return null;
                }
                float[] dCols = new float[(start + count) * P * T];
                return List.of(
                        batched(name + "_dcols", dCols, 0, T, 1, P * T, T, a[1], 0, 1, P, OC * P, a[2], (Integer) a[3], T, 1, OC, -1, P,
                                start, count),
                        new KernelCall(name, GATHER, new Object[] {a[0], dCols, C, a[5], a[6], KH, KW, a[10], OH, OW, start, count}));
            }
            case "Conv2d.backwardWeights" -> {
                // (grads, dOut, in, wOff, N, C, H, W, OC, KH, KW, pad, OH, OW, start, count): rows are output channels
                int N = (Integer) a[4], C = (Integer) a[5], OC = (Integer) a[8], KH = (Integer) a[9], KW = (Integer) a[10];
                int OH = (Integer) a[12], OW = (Integer) a[13];
                int P = OH * OW, T = C * KH * KW;
                if (!GemmVector.fits(count, T, N * P)) {
                    return null;
                }
                float[] dOutT = new float[OC * N * P];
                float[] cols = new float[N * P * T];
                return List.of(
                        new KernelCall(name + "_dOutT", SWAP_OUTER, new Object[] {dOutT, a[1], OC, N, P, 0, OC}),
                        new KernelCall(name + "_cols", PATCHES, new Object[] {cols, a[2], C, a[6], a[7], KH, KW, a[11], OH, OW, 0, N}),
                        gemm(name, a[0], (Integer) a[3] + start * T, T, 1, 0, T, dOutT, start * N * P, N * P, 1, 0, cols, 0, T, 1, N * P,
                                -1, count, 1));
            }
            default -> {
                return null;
            }
        }
    }

    /** One product (a single batch entry): {@link GemmVector#gemm}'s arguments without the batch strides. */
    private static KernelCall gemm(String name, Object c, int cOff, int cis, int cjs, int cBatch, int cols, Object a, int aOff,
                                   int ais, int aks, int aBatch, Object b, int bOff, int bks, int bjs, int K, int biasOff,
                                   int rows, int batches) {
        return batched(name, c, cOff, cis, cjs, cBatch, cols, a, aOff, ais, aks, aBatch, b, bOff, bks, bjs, K, biasOff, rows, 0, batches);
    }

    /** A gemm call in {@link GemmVector#gemm}'s argument order, with its grid ⌈cols/32⌉ × count·⌈rows/8⌉. */
    private static KernelCall batched(String name, Object c, int cOff, int cis, int cjs, int cBatch, int cols, Object a, int aOff,
                                      int ais, int aks, int aBatch, Object b, int bOff, int bks, int bjs, int K, int biasOff,
                                      int rows, int start, int count) {
        Launch launch = Launch.of((cols + GemmVector.COLS - 1) / GemmVector.COLS, (long) count * ((rows + GemmVector.ROWS - 1) / GemmVector.ROWS));
        return new KernelCall(name, GEMM, new Object[] {c, cOff, cis, cjs, cBatch, cols, a, aOff, ais, aks, aBatch, b, bOff, bks, bjs,
                K, biasOff, rows, start, count}, launch);
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
