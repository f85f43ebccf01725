package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Inverted dropout, as Keras: kept units are scaled by 1/(1 - rate) at training time, so
 * inference is the identity. The keep decision is a stateless hash of (seed, step, layer, element),
 * so every engine draws the same mask and runs can be compared step for step.
 * <pre>in, out, mask: (E); rng: {seed, step} (changes every training step, so it travels in an array)</pre>
 */
public final class Dropout {
    private Dropout() {
    }

    /** out = in · mask, mask[i] = 1/(1-rate) if kept else 0 (saved for backward). Overwrites out, mask. */
    public static void forward(float[] out, float[] mask, float[] in, int[] rng, int layer, float rate,
                               int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int i = start + t;
            float u = uniform(rng[0], rng[1], layer, i);
            // 1[u >= rate] without a branch (a coin flip mispredicts on OpenCL CPU drivers): sign(u - rate) + 1 is 0 below, 1 at, 2 above
            float m = Math.min(1.0f, Math.signum(u - rate) + 1.0f) * (1.0f / (1.0f - rate));
            mask[i] = m;
            out[i] = in[i] * m;
        }
    }

    /** dIn = dOut · mask. Overwrites dIn. */
    public static void backward(float[] dIn, float[] dOut, float[] mask, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int i = start + t;
            dIn[i] = dOut[i] * mask[i];
        }
    }

    /**
     * ReLU then dropout in one pass, for engines that fuse the pair ({@code relutornado.engine.Fusions}): out =
     * max(0, in) · mask, the same floats as {@link Activation#reluForward} into an array and {@link #forward} from it.
     * Each work-item takes 16 consecutive elements and mixes the step's part of the hash once for them (the hash is
     * most of the kernel's work on CPU drivers). Work-items: ⌈count / 16⌉.
     */
    public static void reluForward(float[] out, float[] mask, float[] in, int[] rng, int layer, float rate, int start, int count) {
        for (@Parallel int t = 0; t < (count + 15) / 16; t++) {
            int key = key(rng[0], rng[1], layer);
            float keep = 1.0f / (1.0f - rate);
            int end = Math.min(start + count, start + t * 16 + 16);
            for (int i = start + t * 16; i < end; i++) {
                float u = uniform(key, i);
                float m = Math.min(1.0f, Math.signum(u - rate) + 1.0f) * keep;
                mask[i] = m;
                out[i] = Math.max(0.0f, in[i]) * m;
            }
        }
    }

    /**
     * The backward pass of {@link #reluForward}: dIn = dOut · mask · 1[in &gt; 0], the same floats as {@link #backward}
     * into an array and {@link Activation#reluBackward} from it. Overwrites dIn.
     */
    public static void reluBackward(float[] dIn, float[] dOut, float[] mask, float[] in, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int i = start + t;
            dIn[i] = dOut[i] * mask[i] * Math.max(0.0f, Math.signum(in[i])) + 0.0f;
        }
    }

    /**
     * {@link #reluBackward} over a whole N × OC batch and, in the same pass, the bias gradient of the dense layer whose
     * output gradient dIn is: grads[bOff + o] = Σ_n dIn[n·OC + o], the same floats as {@code Dense.backwardBias} run on
     * dIn (rows summed in order from 0). Each work-item takes 16 neighbouring columns of [start, start + count) down all
     * N rows, so that its loads and stores are contiguous (a CPU driver makes them vectors) and a column's sum stays in
     * one work-item. Work-items: ⌈count / 16⌉.
     */
    public static void reluBackwardBias(float[] dIn, float[] grads, float[] dOut, float[] mask, float[] in, int bOff,
                                        int N, int OC, int start, int count) {
        for (@Parallel int t = 0; t < (count + 15) / 16; t++) {
            int o0 = start + t * 16;
            int w = Math.min(16, start + count - o0);
            if (w == 16) {
                // the common case with a constant trip count, accumulated in grads so the 16 sums are one vector
                for (int e = 0; e < 16; e++) {
                    grads[bOff + o0 + e] = 0.0f;
                }
                for (int n = 0; n < N; n++) {
                    for (int e = 0; e < 16; e++) {
                        int i = n * OC + o0 + e;
                        float d = dOut[i] * mask[i] * Math.max(0.0f, Math.signum(in[i])) + 0.0f;
                        dIn[i] = d;
                        grads[bOff + o0 + e] += d;
                    }
                }
            } else {
                for (int e = 0; e < w; e++) {
                    float acc = 0.0f;
                    for (int n = 0; n < N; n++) {
                        int i = n * OC + o0 + e;
                        float d = dOut[i] * mask[i] * Math.max(0.0f, Math.signum(in[i])) + 0.0f;
                        dIn[i] = d;
                        acc += d;
                    }
                    grads[bOff + o0 + e] = acc;
                }
            }
        }
    }

    /**
     * A uniform float in [0, 1) from a counter-based hash (murmur3's 32-bit finaliser over a mix of
     * the four counters). Same bits on every engine: only int multiply, xor, shifts and masks.
     * Logical shifts are written {@code (h >> n) & mask}: TornadoVM 5.2 emits Java's {@code >>>}
     * on an int as OpenCL's arithmetic {@code >>}, which gave different masks on the device.
     */
    public static float uniform(int seed, int step, int layer, int index) {
        return uniform(key(seed, step, layer), index);
    }

    /** The part of {@link #uniform(int, int, int, int)}'s hash that is the same for every element of a layer's step. */
    static int key(int seed, int step, int layer) {
        int h = seed * 0x9E3779B1;
        h = mix(h ^ step);
        return mix(h ^ (layer * 0x85EBCA77));
    }

    /** {@link #uniform(int, int, int, int)} from its {@link #key}. */
    static float uniform(int key, int index) {
        return ((mix(key ^ index) >> 8) & 0xFFFFFF) * 0x1.0p-24f;
    }

    private static int mix(int x) {
        int h = x;
        h ^= (h >> 16) & 0xFFFF;
        h *= 0x85EBCA6B;
        h ^= (h >> 13) & 0x7FFFF;
        h *= 0xC2B2AE35;
        h ^= (h >> 16) & 0xFFFF;
        return h;
    }
}
