package relutornado.kernels;

/**
 * CPU variants of {@link MaxPool} for the {@code java-parallel} engine: the same 2×2 windows walked window by
 * window (no index division per element), backward writing each window's four gradients at once (the plain gather
 * form finds every window's argmax four times). Same names, signatures, tie rule and overwrite semantics; results
 * equal bit for bit.
 */
public final class MaxPoolCpu {
    private MaxPoolCpu() {
    }

    /** As {@link MaxPool#forward2x2}. Overwrites out. Range over rows n. */
    public static void forward2x2(float[] out, float[] in, int C, int H, int W, int OH, int OW, int start, int count) {
        for (int n = start; n < start + count; n++) {
            for (int c = 0; c < C; c++) {
                int plane = (n * C + c) * H * W, o = (n * C + c) * OH * OW;
                for (int oh = 0; oh < OH; oh++) {
                    int r0 = plane + 2 * oh * W, r1 = r0 + W, dst = o + oh * OW;
                    for (int ow = 0; ow < OW; ow++) {
                        out[dst + ow] = Math.max(Math.max(in[r0 + 2 * ow], in[r0 + 2 * ow + 1]),
                                Math.max(in[r1 + 2 * ow], in[r1 + 2 * ow + 1]));
                    }
                }
            }
        }
    }

    /** As {@link MaxPool#backward2x2}: each window's gradient to its first argmax, zeros elsewhere. Overwrites dIn. */
    public static void backward2x2(float[] dIn, float[] dOut, float[] in, int C, int H, int W, int OH, int OW,
                                   int start, int count) {
        for (int n = start; n < start + count; n++) {
            for (int c = 0; c < C; c++) {
                int plane = (n * C + c) * H * W, o = (n * C + c) * OH * OW;
                for (int oh = 0; oh < OH; oh++) {
                    int r0 = plane + 2 * oh * W, r1 = r0 + W, src = o + oh * OW;
                    for (int ow = 0; ow < OW; ow++) {
                        int a = r0 + 2 * ow, b = r1 + 2 * ow;
                        // first maximum in window order (0,0), (0,1), (1,0), (1,1), as the plain kernel
                        int arg = 0;
                        float m = in[a];
                        if (in[a + 1] > m) {
                            m = in[a + 1];
                            arg = 1;
                        }
                        if (in[b] > m) {
                            m = in[b];
                            arg = 2;
                        }
                        if (in[b + 1] > m) {
                            arg = 3;
                        }
                        float g = dOut[src + ow];
                        dIn[a] = arg == 0 ? g : 0.0f;
                        dIn[a + 1] = arg == 1 ? g : 0.0f;
                        dIn[b] = arg == 2 ? g : 0.0f;
                        dIn[b + 1] = arg == 3 ? g : 0.0f;
                    }
                    if (2 * OW < W) { // the odd last column belongs to no window
                        dIn[r0 + W - 1] = 0.0f;
                        dIn[r1 + W - 1] = 0.0f;
                    }
                }
                if (2 * OH < H) { // the odd last row
                    java.util.Arrays.fill(dIn, plane + (H - 1) * W, plane + H * W, 0.0f);
                }
            }
        }
    }
}
