package relutornado.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import relutornado.kernels.Activation;
import relutornado.kernels.Activity;
import relutornado.kernels.Adam;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Dense;
import relutornado.kernels.Dropout;
import relutornado.kernels.Linalg;
import relutornado.kernels.Loss;
import relutornado.kernels.MaxPool;

/**
 * Kernel calls for checking a device against the JVM: every kernel on odd shapes (edge tiles in every
 * dimension), plus the register tiles' edge cases (batch 1, a sub-range, reductions of many tiles); and
 * the GEMM-shaped kernels at the paper models' sizes, with their work counted from the shapes. Each case
 * builds its call over fresh arrays from a seeded {@link Random}, so two identical copies can be made.
 */
public final class KernelCases {
    private KernelCases() {
    }

    /** A kernel call made from a seed. */
    public record Case(String name, Function<Random, KernelCall> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A GEMM-shaped call and its floating-point operations (2·M·N·K: one multiply and one add per term). */
    public record Gemm(String name, KernelCall call, long flops) {
    }

    public static float[] rnd(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** Adam's second moment is never negative. */
    static float[] abs(float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(a[i]);
        }
        return a;
    }

    static int[] labels(Random r, int n, int k) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(k);
        }
        return a;
    }

    /**
     * Every kernel on odd sizes. Outputs a kernel only writes are not copied to a TornadoVM device (5.2), so
     * elements it does not write come back undefined: gradient kernels get slabs they fill completely.
     */
    /**
     * The three dense products on n rows of c inputs and oc outputs, named kernel + suffix: the forward pass's weights at
     * offset fwdPad of its parameter array (bias after them), the input gradient's at inPad.
     */
    private static void dense(List<Case> cases, String suffix, int n, int c, int oc, int fwdPad, int inPad) {
        cases.add(new Case("Dense.forward" + suffix, r -> KernelCall.of("k", Dense.class, "forward",
                new float[n * oc], rnd(r, n * c, 1), rnd(r, c * oc + oc + fwdPad, 1), fwdPad, c * oc + fwdPad, c, oc, 0, n)));
        cases.add(new Case("Dense.backwardInput" + suffix, r -> KernelCall.of("k", Dense.class, "backwardInput",
                new float[n * c], rnd(r, n * oc, 1), rnd(r, c * oc + inPad, 1), inPad, c, oc, 0, n)));
        cases.add(new Case("Dense.backwardWeights" + suffix, r -> KernelCall.of("k", Dense.class, "backwardWeights",
                new float[c * oc], rnd(r, n * oc, 1), rnd(r, n * c, 1), 0, n, c, oc, 0, c)));
    }

    public static List<Case> all() {
        int N = 13, C = 37, OC = 19, K = 10, F = 23;
        List<Case> cases = new ArrayList<>();
        dense(cases, "", N, C, OC, 5, 3);
        cases.add(new Case("Dense.backwardBias", r -> KernelCall.of("k", Dense.class, "backwardBias",
                new float[OC], rnd(r, N * OC, 1), 0, N, OC, 0, OC)));
        cases.add(new Case("Activation.reluForward", r -> KernelCall.of("k", Activation.class, "reluForward",
                new float[N * C], rnd(r, N * C, 2), 0, N * C)));
        cases.add(new Case("Activation.reluBackward", r -> KernelCall.of("k", Activation.class, "reluBackward",
                new float[N * C], rnd(r, N * C, 1), rnd(r, N * C, 1), 0, N * C)));
        cases.add(new Case("Dropout.forward", r -> KernelCall.of("k", Dropout.class, "forward",
                new float[N * C], new float[N * C], rnd(r, N * C, 1), new int[] {10, 7}, 2, 0.1f, 0, N * C)));
        cases.add(new Case("Dropout.backward", r -> KernelCall.of("k", Dropout.class, "backward",
                new float[N * C], rnd(r, N * C, 1), rnd(r, N * C, 1), 0, N * C)));
        // the fused pairs (relutornado.engine.Fusions); 481 elements leave a partial group of 16
        cases.add(new Case("Dropout.reluForward", r -> KernelCall.of("k", Dropout.class, "reluForward",
                new float[N * C], new float[N * C], rnd(r, N * C, 1), new int[] {10, 7}, 2, 0.1f, 0, N * C)));
        cases.add(new Case("Dropout.reluBackward", r -> KernelCall.of("k", Dropout.class, "reluBackward",
                new float[N * C], rnd(r, N * C, 1), rnd(r, N * C, 1), rnd(r, N * C, 1), 0, N * C)));
        // with the bias gradient: 37 columns are two groups of 16 and a partial one
        cases.add(new Case("Dropout.reluBackwardBias", r -> KernelCall.of("k", Dropout.class, "reluBackwardBias",
                new float[N * C], new float[C + 2], rnd(r, N * C, 1), rnd(r, N * C, 1), rnd(r, N * C, 1), 2, N, C, 0, C)));
        cases.add(new Case("Loss.softmaxForward", r -> KernelCall.of("k", Loss.class, "softmaxForward",
                new float[N], new int[N], rnd(r, N * K, 4), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Loss.softmaxBackward", r -> KernelCall.of("k", Loss.class, "softmaxBackward",
                new float[N * K], rnd(r, N * K, 4), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Loss.softmaxForwardBackward", r -> KernelCall.of("k", Loss.class, "softmaxForwardBackward",
                new float[N], new int[N], new float[N * K], rnd(r, N * K, 4), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Loss.reluHeadForwardBackward", r -> KernelCall.of("k", Loss.class, "reluHeadForwardBackward",
                new float[N], new int[N], new int[N], new float[N * K], rnd(r, N * K, 1), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Loss.reluHeadForward", r -> KernelCall.of("k", Loss.class, "reluHeadForward",
                new float[N], new int[N], new int[N], rnd(r, N * K, 1), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        cases.add(new Case("Loss.reluHeadBackward", r -> KernelCall.of("k", Loss.class, "reluHeadBackward",
                new float[N * K], rnd(r, N * K, 1), labels(r, N, K), new int[] {N - 2}, K, 0, N)));
        // two classes (WDBC): TornadoVM specialises K and unrolls the class loops, which changes the code it generates
        cases.add(new Case("Loss.softmaxForward K=2", r -> KernelCall.of("k", Loss.class, "softmaxForward",
                new float[N], new int[N], rnd(r, N * 2, 4), labels(r, N, 2), new int[] {N - 2}, 2, 0, N)));
        cases.add(new Case("Loss.reluHeadForward K=2", r -> KernelCall.of("k", Loss.class, "reluHeadForward",
                new float[N], new int[N], new int[N], rnd(r, N * 2, 1), labels(r, N, 2), new int[] {N - 2}, 2, 0, N)));
        cases.add(new Case("Loss.reluHeadBackward K=2", r -> KernelCall.of("k", Loss.class, "reluHeadBackward",
                new float[N * 2], rnd(r, N * 2, 1), labels(r, N, 2), new int[] {N - 2}, 2, 0, N)));
        cases.add(new Case("Adam.update", r -> KernelCall.of("k", Adam.class, "update",
                rnd(r, 301, 1), rnd(r, 301, 0.1), abs(rnd(r, 301, 0.01)), rnd(r, 301, 1), new float[] {1e-3f, 0.9f, 0.999f, 1e-8f}, 0, 301)));
        // convolutions on odd sizes: 'same' 3x3 on 7x6, 'valid' 3x3 on 9x8 with one input channel
        int Cc = 3, H = 7, W = 6, OCc = 5, Kk = 3;
        cases.add(new Case("Conv2d.forward same", r -> KernelCall.of("k", Conv2d.class, "forward",
                new float[N * OCc * H * W], rnd(r, N * Cc * H * W, 1), rnd(r, OCc * Cc * 9 + OCc + 2, 1), 2, OCc * Cc * 9 + 2,
                Cc, H, W, OCc, Kk, Kk, 1, H, W, 0, N)));
        cases.add(new Case("Conv2d.forward valid C=1", r -> KernelCall.of("k", Conv2d.class, "forward",
                new float[N * OCc * 7 * 6], rnd(r, N * 9 * 8, 1), rnd(r, OCc * 9 + OCc, 1), 0, OCc * 9,
                1, 9, 8, OCc, Kk, Kk, 0, 7, 6, 0, N)));
        cases.add(new Case("Conv2d.backwardInput same", r -> KernelCall.of("k", Conv2d.class, "backwardInput",
                new float[N * Cc * H * W], rnd(r, N * OCc * H * W, 1), rnd(r, OCc * Cc * 9 + 1, 1), 1,
                Cc, H, W, OCc, Kk, Kk, 1, H, W, 0, N)));
        cases.add(new Case("Conv2d.backwardInput valid", r -> KernelCall.of("k", Conv2d.class, "backwardInput",
                new float[N * Cc * H * W], rnd(r, N * OCc * 5 * 4, 1), rnd(r, OCc * Cc * 9, 1), 0,
                Cc, H, W, OCc, Kk, Kk, 0, 5, 4, 0, N)));
        cases.add(new Case("Conv2d.backwardWeights same", r -> KernelCall.of("k", Conv2d.class, "backwardWeights",
                new float[OCc * Cc * 9], rnd(r, N * OCc * H * W, 1), rnd(r, N * Cc * H * W, 1), 0,
                N, Cc, H, W, OCc, Kk, Kk, 1, H, W, 0, OCc)));
        cases.add(new Case("Conv2d.backwardWeights valid", r -> KernelCall.of("k", Conv2d.class, "backwardWeights",
                new float[OCc * Cc * 9], rnd(r, N * OCc * 5 * 4, 1), rnd(r, N * Cc * H * W, 1), 0,
                N, Cc, H, W, OCc, Kk, Kk, 0, 5, 4, 0, OCc)));
        cases.add(new Case("Conv2d.backwardBias", r -> KernelCall.of("k", Conv2d.class, "backwardBias",
                new float[OCc], rnd(r, N * OCc * H * W, 1), 0, N, OCc, H, W, 0, OCc)));
        cases.add(new Case("MaxPool.forward2x2", r -> KernelCall.of("k", MaxPool.class, "forward2x2",
                new float[N * Cc * 3 * 3], rnd(r, N * Cc * H * W, 1), Cc, H, W, 3, 3, 0, N)));
        cases.add(new Case("MaxPool.backward2x2", r -> KernelCall.of("k", MaxPool.class, "backward2x2",
                new float[N * Cc * H * W], rnd(r, N * Cc * 3 * 3, 1), rnd(r, N * Cc * H * W, 1), Cc, H, W, 3, 3, 0, N)));
        // live-unit counts (dying-ReLU analysis): dense (S = 1) and per channel (S = H·W), padding rows not counted
        cases.add(new Case("Activity.countActive dense", r -> KernelCall.of("k", Activity.class, "countActive",
                new int[C], rnd(r, N * C, 1), new int[] {N - 2}, C, 1, 0, C)));
        cases.add(new Case("Activity.countActive channels", r -> KernelCall.of("k", Activity.class, "countActive",
                new int[Cc], rnd(r, N * Cc * H * W, 1), new int[] {N - 3}, Cc, H * W, 0, Cc)));
        cases.add(new Case("Linalg.gramAccumulate", r -> KernelCall.of("k", Linalg.class, "gramAccumulate",
                rnd(r, F * F, 1), rnd(r, N * F, 1), N, F, 0, F)));
        // edge cases of the register tiles: batch 1, a sub-range, reductions of many tiles
        cases.add(new Case("Dense.forward batch 1", r -> KernelCall.of("k", Dense.class, "forward",
                new float[OC], rnd(r, 300, 1), rnd(r, 300 * OC + OC, 1), 0, 300 * OC, 300, OC, 0, 1)));
        cases.add(new Case("Dense.backwardInput batch 1", r -> KernelCall.of("k", Dense.class, "backwardInput",
                new float[C], rnd(r, 130, 1), rnd(r, C * 130, 1), 0, C, 130, 0, 1)));
        cases.add(new Case("Dense.backwardWeights N=1", r -> KernelCall.of("k", Dense.class, "backwardWeights",
                new float[C * OC], rnd(r, OC, 1), rnd(r, C, 1), 0, 1, C, OC, 0, C)));
        cases.add(new Case("Conv2d.forward batch 1 C=32", r -> KernelCall.of("k", Conv2d.class, "forward",
                new float[6 * 5 * 5], rnd(r, 32 * 7 * 7, 1), rnd(r, 6 * 32 * 9 + 6, 1), 0, 6 * 32 * 9,
                32, 7, 7, 6, Kk, Kk, 0, 5, 5, 0, 1)));
        cases.add(new Case("Linalg.gramAccumulate sub-range", r -> KernelCall.of("k", Linalg.class, "gramAccumulate",
                rnd(r, F * F, 1), rnd(r, 70 * F, 1), 70, F, 5, 11)));
        // the 6×16 float16 tiles (--device-kernels vector): widths not a multiple of 16, rows not of 6, one tile
        int R = 29, In = 45, Out = 70;
        dense(cases, " 6x16 tiles", R, In, Out, 7, 2);
        // convolutions as 6×16 float16 products (P = 42 or 20 positions, T = 36 taps, 33 channels)
        int Cv = 4, OCv = 33;
        cases.add(new Case("Conv2d.forward same 6x16 tiles", r -> KernelCall.of("k", Conv2d.class, "forward",
                new float[N * OCv * H * W], rnd(r, N * Cv * H * W, 1), rnd(r, OCv * Cv * 9 + OCv + 2, 1), 2, OCv * Cv * 9 + 2,
                Cv, H, W, OCv, Kk, Kk, 1, H, W, 0, N)));
        cases.add(new Case("Conv2d.backwardInput valid 6x16 tiles", r -> KernelCall.of("k", Conv2d.class, "backwardInput",
                new float[N * Cv * H * W], rnd(r, N * OCv * 5 * 4, 1), rnd(r, OCv * Cv * 9 + 1, 1), 1,
                Cv, H, W, OCv, Kk, Kk, 0, 5, 4, 0, N)));
        cases.add(new Case("Conv2d.backwardWeights same 6x16 tiles", r -> KernelCall.of("k", Conv2d.class, "backwardWeights",
                new float[OCv * Cv * 9], rnd(r, N * OCv * H * W, 1), rnd(r, N * Cv * H * W, 1), 0,
                N, Cv, H, W, OCv, Kk, Kk, 1, H, W, 0, OCv)));
        // 16 channels: the vector family's backward to input reorders the taps and gathers 16 channels a work-item
        cases.add(new Case("Conv2d.backwardInput same C=16", r -> KernelCall.of("k", Conv2d.class, "backwardInput",
                new float[N * 16 * H * W], rnd(r, N * OCv * H * W, 1), rnd(r, OCv * 16 * 9 + 1, 1), 1,
                16, H, W, OCv, Kk, Kk, 1, H, W, 0, N)));
        cases.add(new Case("Dense.forward one 6x16 tile", r -> KernelCall.of("k", Dense.class, "forward",
                new float[6 * 16], rnd(r, 6 * 300, 1), rnd(r, 300 * 16 + 16, 1), 0, 300 * 16, 300, 16, 0, 6)));
        return cases;
    }

    /**
     * The GEMM-shaped kernels at the models' sizes: the MNIST FFNN's hidden layer (batch 256, 512 → 512), the
     * pixels CNN's second convolution (26×26×32 → 24×24×32, 3×3; batch 64) and the PCA Gram of 784 pixels.
     */
    public static List<Gemm> gemms() {
        Random r = new Random(7);
        List<Gemm> g = new ArrayList<>();
        int M = 256, K = 512, N = 512;
        g.add(new Gemm("dense forward 256×512·512×512", KernelCall.of("dense_fwd", Dense.class, "forward",
                new float[M * N], rnd(r, M * K, 1), rnd(r, K * N + N, 0.1), 0, K * N, K, N, 0, M), 2L * M * K * N));
        g.add(new Gemm("dense backward to input 256×512×512", KernelCall.of("dense_bwd_in", Dense.class, "backwardInput",
                new float[M * K], rnd(r, M * N, 1), rnd(r, K * N, 0.1), 0, K, N, 0, M), 2L * M * K * N));
        g.add(new Gemm("dense backward to weights 256×512×512", KernelCall.of("dense_bwd_w", Dense.class, "backwardWeights",
                new float[K * N], rnd(r, M * N, 1), rnd(r, M * K, 1), 0, M, K, N, 0, K), 2L * M * K * N));
        int B = 64, C = 32, S = 26, OC = 32, KK = 3, O = S - KK + 1;
        long convFlops = 2L * B * OC * O * O * C * KK * KK;
        int wLen = OC * C * KK * KK;
        g.add(new Gemm("conv forward 64×32×26×26 → 32, 3×3", KernelCall.of("conv_fwd", Conv2d.class, "forward",
                new float[B * OC * O * O], rnd(r, B * C * S * S, 1), rnd(r, wLen + OC, 0.1), 0, wLen, C, S, S, OC, KK, KK, 0, O, O, 0, B),
                convFlops));
        g.add(new Gemm("conv backward to input 64×32×26×26 → 32", KernelCall.of("conv_bwd_in", Conv2d.class, "backwardInput",
                new float[B * C * S * S], rnd(r, B * OC * O * O, 1), rnd(r, wLen, 0.1), 0, C, S, S, OC, KK, KK, 0, O, O, 0, B),
                convFlops));
        g.add(new Gemm("conv backward to weights 64×32×26×26 → 32", KernelCall.of("conv_bwd_w", Conv2d.class, "backwardWeights",
                new float[wLen], rnd(r, B * OC * O * O, 1), rnd(r, B * C * S * S, 1), 0, B, C, S, S, OC, KK, KK, 0, O, O, 0, OC),
                convFlops));
        int rows = 1024, F = 784;
        g.add(new Gemm("PCA Gram 1024×784 (upper triangle)", KernelCall.of("gram", Linalg.class, "gramAccumulate",
                new float[F * F], rnd(r, rows * F, 1), rows, F, 0, F), (long) rows * F * (F + 1)));
        return g;
    }
}
