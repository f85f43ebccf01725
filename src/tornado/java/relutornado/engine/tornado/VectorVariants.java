package relutornado.engine.tornado;

import java.lang.reflect.Method;
import java.util.List;
import relutornado.engine.KernelCall;
import relutornado.engine.Launch;
import relutornado.kernels.Dense;
import relutornado.kernels.Linalg;
import relutornado.kernels.vector.GemmVector;

/**
 * {@code --device-kernels vector}: the dense layers' products as {@link GemmVector#gemm} tasks (8×32 {@code float16}
 * tiles), the TornadoVM-only part of the kernel registry ({@link relutornado.engine.KernelVariants} holds the rest).
 * <pre>
 *   kernel                  device tasks                                             when
 *   Dense.forward           gemm(out = in·W + b)                                     rows ≥ 8, OC ≥ 32, C ≥ 8
 *   Dense.backwardInput     Linalg.transpose(Wᵀ → scratch), gemm(dIn = dOut·Wᵀ)      rows ≥ 8, C ≥ 32, OC ≥ 8
 *   Dense.backwardWeights   gemm(dW = inᵀ·dOut)                                      features ≥ 8, OC ≥ 32, N ≥ 8
 * </pre>
 * A call outside these shapes (the 10-class output layer), and every other kernel, runs its
 * {@link relutornado.engine.KernelVariants} device variant. Scratch arrays are the engine's: device-only work
 * buffers, made here once per program and never read on the host.
 */
final class VectorVariants {
    private static final Method GEMM = method(GemmVector.class, "gemm");
    private static final Method TRANSPOSE = method(Linalg.class, "transpose");
    private static final Method FORWARD = method(Dense.class, "forward");
    private static final Method BACKWARD_INPUT = method(Dense.class, "backwardInput");
    private static final Method BACKWARD_WEIGHTS = method(Dense.class, "backwardWeights");

    private VectorVariants() {
    }

    /** The device tasks for a call, or null when it has no vector variant or its shape does not fit the tile. */
    static List<KernelCall> expand(KernelCall call) {
        Object[] a = call.args();
        Method m = call.method();
        int start = call.start();
        int count = call.count();
        if (m.equals(FORWARD)) {
            // forward(out, in, params, wOff, bOff, C, OC, start, count)
            float[] params = (float[]) a[2];
            int C = (Integer) a[5];
            int OC = (Integer) a[6];
            return GemmVector.fits(count, OC, C) ? List.of(gemm(call.name(), a[0], 0, OC, OC, a[1], 0, C, 1, params, (Integer) a[3], OC, 1, C,
                    params, (Integer) a[4], start, count)) : null;
        }
        if (m.equals(BACKWARD_INPUT)) {
            // backwardInput(dIn, dOut, params, wOff, C, OC, start, count); W is (C, OC), Wᵀ (OC, C) makes B contiguous
            int C = (Integer) a[4];
            int OC = (Integer) a[5];
            if (!GemmVector.fits(count, C, OC)) {
                return null;
            }
            float[] wT = new float[OC * C];
            KernelCall transpose = new KernelCall(call.name() + "_wT", TRANSPOSE, new Object[] {wT, a[2], a[3], C, OC, 0, C});
            return List.of(transpose, gemm(call.name(), a[0], 0, C, C, a[1], 0, OC, 1, wT, 0, C, 1, OC, wT, -1, start, count));
        }
        if (m.equals(BACKWARD_WEIGHTS)) {
            // backwardWeights(grads, dOut, in, wOff, N, C, OC, start, count): rows are the input features
            int N = (Integer) a[4];
            int C = (Integer) a[5];
            int OC = (Integer) a[6];
            return GemmVector.fits(count, OC, N) ? List.of(gemm(call.name(), a[0], (Integer) a[3], OC, OC, a[2], 0, 1, C, a[1], 0, OC, 1, N,
                    a[1], -1, start, count)) : null;
        }
        return null;
    }

    /** A gemm call (arguments in {@link GemmVector#gemm}'s order) with its grid: ⌈cols/32⌉ × ⌈count/8⌉. */
    private static KernelCall gemm(String name, Object c, int cOff, int ldc, int cols, Object a, int aOff, int ais, int aks,
                                   Object b, int bOff, int bks, int bjs, int K, Object bias, int biasOff, int start, int count) {
        Launch launch = Launch.of((cols + GemmVector.COLS - 1) / GemmVector.COLS, (count + GemmVector.ROWS - 1) / GemmVector.ROWS);
        return new KernelCall(name, GEMM, new Object[] {c, cOff, ldc, cols, a, aOff, ais, aks, b, bOff, bks, bjs, K, bias, biasOff,
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
