package relutornado.bench;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import relutornado.data.DatasetName;
import relutornado.engine.KernelCall;
import relutornado.kernels.Adam;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Dense;
import relutornado.kernels.Loss;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;

/**
 * A kernel invocation to benchmark: the call, its arrays, and the work it does, counted from its
 * shapes. GEMM-shaped kernels report GFLOP/s (2·M·K·N: one multiply and one add per term); memory-bound
 * ones (heads, Adam) GB/s of their minimum traffic (each array element read or written once).
 *
 * @param flops floating-point operations per invocation (0 = report GB/s)
 * @param bytes bytes every invocation must move at least
 */
public record KernelCase(String name, KernelCall call, List<Object> arrays, long flops, long bytes) {

    /**
     * The cases by name; dense_* names read batch M × inputs K × outputs N; conv_* names read batch N ×
     * channels C × height × width, then output channels and a 3×3 kernel, valid padding: the pixels
     * CNN's second convolution (26×26×32 → 24×24×32), its most expensive layer.
     */
    static final Map<String, Supplier<KernelCase>> CASES = Map.ofEntries(
            Map.entry("conv_fwd_256x32x26x26_32k3", () -> conv(256, 32, 26, 32, 3, 0)),
            Map.entry("conv_bwd_in_256x32x26x26_32k3", () -> conv(256, 32, 26, 32, 3, 1)),
            Map.entry("conv_bwd_w_256x32x26x26_32k3", () -> conv(256, 32, 26, 32, 3, 2)),
            Map.entry("dense_fwd_2048x2048x2048", () -> denseForward(2048, 2048, 2048)),
            Map.entry("dense_fwd_256x256x512", () -> denseForward(256, 256, 512)),
            Map.entry("dense_fwd_256x512x512", () -> denseForward(256, 512, 512)),
            Map.entry("dense_bwd_in_256x512x512", () -> denseBackwardInput(256, 512, 512)),
            Map.entry("dense_bwd_w_256x512x512", () -> denseBackwardWeights(256, 512, 512)),
            Map.entry("softmax_head_256x10", () -> head(256, 10, true)),
            Map.entry("relu_head_256x10", () -> head(256, 10, false)),
            Map.entry("adam_ffnn", KernelCase::adamFfnn));

    public static KernelCase of(String name) {
        Supplier<KernelCase> s = CASES.get(name);
        if (s == null) {
            throw new IllegalArgumentException("-p kernel: no case '" + name + "' (have " + new java.util.TreeSet<>(CASES.keySet()) + ")");
        }
        return s.get();
    }

    /** out (M×N) = in (M×K) · W (K×N) + b. */
    static KernelCase denseForward(int M, int K, int N) {
        float[] out = new float[M * N], in = new float[M * K], params = new float[K * N + N];
        KernelCall call = KernelCall.of("dense_fwd", Dense.class, "forward", out, in, params, 0, K * N, K, N, 0, M);
        return new KernelCase("dense_fwd", call, List.of(out, in, params), 2L * M * K * N + (long) M * N,
                4L * (M * N + M * K + K * N + N));
    }

    /** dIn (M×K) = dOut (M×N) · Wᵀ. */
    static KernelCase denseBackwardInput(int M, int K, int N) {
        float[] dIn = new float[M * K], dOut = new float[M * N], params = new float[K * N];
        KernelCall call = KernelCall.of("dense_bwd_in", Dense.class, "backwardInput", dIn, dOut, params, 0, K, N, 0, M);
        return new KernelCase("dense_bwd_in", call, List.of(dIn, dOut, params), 2L * M * K * N, 4L * (M * K + M * N + K * N));
    }

    /** dW (K×N) = inᵀ (K×M) · dOut (M×N). */
    static KernelCase denseBackwardWeights(int M, int K, int N) {
        float[] grads = new float[K * N], dOut = new float[M * N], in = new float[M * K];
        KernelCall call = KernelCall.of("dense_bwd_w", Dense.class, "backwardWeights", grads, dOut, in, 0, M, K, N, 0, K);
        return new KernelCase("dense_bwd_w", call, List.of(grads, dOut, in), 2L * M * K * N, 4L * (M * K + M * N + K * N));
    }

    /** A valid convolution of N rows of (C, S, S) into OC channels; which = 0 forward, 1 input gradient, 2 weight gradient. */
    static KernelCase conv(int N, int C, int S, int OC, int K, int which) {
        int O = Conv2d.outputSize(S, K, 0);
        float[] in = new float[N * C * S * S], out = new float[N * OC * O * O], params = new float[OC * C * K * K + OC];
        long flops = 2L * N * OC * O * O * C * K * K;
        long bytes = 4L * (in.length + out.length + params.length);
        KernelCall call = switch (which) {
            case 0 -> KernelCall.of("conv_fwd", Conv2d.class, "forward", out, in, params, 0, OC * C * K * K, C, S, S, OC, K, K, 0, O, O, 0, N);
            case 1 -> KernelCall.of("conv_bwd_in", Conv2d.class, "backwardInput", in, out, params, 0, C, S, S, OC, K, K, 0, O, O, 0, N);
            default -> KernelCall.of("conv_bwd_w", Conv2d.class, "backwardWeights", params, out, in, 0, N, C, S, S, OC, K, K, 0, O, O, 0, OC);
        };
        return new KernelCase(call.name(), call, List.of(in, out, params), flops, bytes);
    }

    /** Forward of a head over N rows of K scores: per-row loss and prediction. */
    static KernelCase head(int N, int K, boolean softmax) {
        float[] rowLoss = new float[N], logits = new float[N * K];
        int[] rowPred = new int[N], rowDead = new int[N], labels = new int[N], valid = {N};
        for (int i = 0; i < N; i++) {
            labels[i] = i % K;
        }
        KernelCall call = softmax
                ? KernelCall.of("softmax_fwd", Loss.class, "softmaxForward", rowLoss, rowPred, logits, labels, valid, K, 0, N)
                : KernelCall.of("relu_head_fwd", Loss.class, "reluHeadForward", rowLoss, rowPred, rowDead, logits, labels, valid, K, 0, N);
        List<Object> arrays = softmax ? List.of(rowLoss, rowPred, logits, labels, valid)
                : List.of(rowLoss, rowPred, rowDead, logits, labels, valid);
        return new KernelCase(call.name(), call, arrays, 0, 4L * (N * K + N * (softmax ? 3 : 4)));
    }

    /** One Adam step over the paper's MNIST FFNN slab: reads params, m, v, grads; writes params, m, v. */
    static KernelCase adamFfnn() {
        int P = new Network(ModelSpec.ffnn(DatasetName.MNIST, 256, 10, Head.SOFTMAX), 1).parameterCount();
        float[] params = new float[P], m = new float[P], v = new float[P], grads = new float[P];
        float[] hyper = {1e-3f, 0.9f, 0.999f, 1e-8f};
        KernelCall call = KernelCall.of("adam", Adam.class, "update", params, m, v, grads, hyper, 0, P);
        return new KernelCase("adam", call, List.of(params, m, v, grads, hyper), 0, 4L * 7 * P);
    }
}
