package relutornado.kernels;

/**
 * CPU variants of {@link MaxPool} for the {@code java-parallel} engine: the same 2×2 windows walked window by
 * window (no index division per element), backward writing each window's four gradients at once (the plain gather
 * form finds every window's argmax four times). Same names, signatures, tie rule and overwrite semantics; results
 * equal bit for bit (backward: on windows without NaN).
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
        // zeros first (a vectorised fill), then one store per window: the odd last row and column stay zero. Plane by
        // plane, so the stores find the plane still in L1 (the whole range first measured 1.6x slower on 26x26x32)
        for (int n = start; n < start + count; n++) {
            for (int c = 0; c < C; c++) {
                int plane = (n * C + c) * H * W, o = (n * C + c) * OH * OW;
                java.util.Arrays.fill(dIn, plane, plane + H * W, 0.0f);
                for (int oh = 0; oh < OH; oh++) {
                    int r0 = plane + 2 * oh * W, r1 = r0 + W, src = o + oh * OW;
                    for (int ow = 0; ow < OW; ow++) {
                        int a = r0 + 2 * ow, b = r1 + 2 * ow;
                        // first maximum in window order (0,0), (0,1), (1,0), (1,1), as the plain kernel; selects and
                        // Math.max (vmaxss) rather than branches, which the unpredictable argmax made 2x slower. Only a
                        // window holding a NaN can route differently from the plain kernel (Math.max keeps the NaN)
                        float m = in[a];
                        int at = a;
                        float v = in[a + 1];
                        at = v > m ? a + 1 : at;
                        m = Math.max(m, v);
                        v = in[b];
                        at = v > m ? b : at;
                        m = Math.max(m, v);
                        at = in[b + 1] > m ? b + 1 : at;
                        dIn[at] = dOut[src + ow];
                    }
                }
            }
        }
    }
}
