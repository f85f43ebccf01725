package relutornado.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU variants of {@link MaxPool} for the {@code java-parallel} engine: the same 2×2 windows walked window by
 * window (no index division per element), backward writing each window's four gradients at once (the plain gather
 * form finds every window's argmax four times), vector-wide runs of windows with the Vector API where a row has
 * enough of them. Same names, signatures, tie rule and overwrite semantics; results equal bit for bit (backward: on
 * windows without NaN).
 */
public final class MaxPoolCpu {
    private MaxPoolCpu() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Of two vectors holding 2L consecutive floats: the even ones, the odd ones (window columns 0 and 1). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);
    /** Back: lanes 0..L/2 of two vectors interleaved, then lanes L/2..L. */
    private static final VectorShuffle<Float> LOW = VectorShuffle.fromOp(S, i -> (i & 1) * L + i / 2);
    private static final VectorShuffle<Float> HIGH = VectorShuffle.fromOp(S, i -> (i & 1) * L + L / 2 + i / 2);

    /** As {@link MaxPool#forward2x2}. Overwrites out. Range over rows n. */
    public static void forward2x2(float[] out, float[] in, int C, int H, int W, int OH, int OW, int start, int count) {
        for (int n = start; n < start + count; n++) {
            for (int c = 0; c < C; c++) {
                int plane = (n * C + c) * H * W, o = (n * C + c) * OH * OW;
                for (int oh = 0; oh < OH; oh++) {
                    int r0 = plane + 2 * oh * W, r1 = r0 + W, dst = o + oh * OW;
                    int ow = 0;
                    for (; ow <= OW - L; ow += L) { // L windows at a time, corners split into even and odd columns
                        int a = r0 + 2 * ow, b = r1 + 2 * ow;
                        FloatVector x0 = FloatVector.fromArray(S, in, a), x1 = FloatVector.fromArray(S, in, a + L);
                        FloatVector y0 = FloatVector.fromArray(S, in, b), y1 = FloatVector.fromArray(S, in, b + L);
                        x0.rearrange(EVEN, x1).max(x0.rearrange(ODD, x1))
                                .max(y0.rearrange(EVEN, y1).max(y0.rearrange(ODD, y1))).intoArray(out, dst + ow);
                    }
                    for (; ow < OW; ow++) {
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
        FloatVector zero = FloatVector.zero(S);
        for (int n = start; n < start + count; n++) {
            for (int c = 0; c < C; c++) {
                int plane = (n * C + c) * H * W, o = (n * C + c) * OH * OW;
                if (OW < L) {
                    // narrow planes: zeros (in L1 for the stores that follow), then one store per window
                    Arrays.fill(dIn, plane, plane + H * W, 0.0f);
                    for (int oh = 0; oh < OH; oh++) {
                        windows(dIn, dOut, in, plane + 2 * oh * W, W, o + oh * OW, 0, OW);
                    }
                    continue;
                }
                for (int oh = 0; oh < OH; oh++) {
                    int r0 = plane + 2 * oh * W, r1 = r0 + W, src = o + oh * OW;
                    int ow = 0;
                    // L windows at a time: their four corners split into even and odd columns, the argmax as masks (first
                    // maximum in window order), the four gradients interleaved back: every element of the two rows written once
                    for (; ow <= OW - L; ow += L) {
                        int a = r0 + 2 * ow, b = r1 + 2 * ow;
                        FloatVector x0 = FloatVector.fromArray(S, in, a), x1 = FloatVector.fromArray(S, in, a + L);
                        FloatVector y0 = FloatVector.fromArray(S, in, b), y1 = FloatVector.fromArray(S, in, b + L);
                        FloatVector v00 = x0.rearrange(EVEN, x1), v01 = x0.rearrange(ODD, x1);
                        FloatVector v10 = y0.rearrange(EVEN, y1), v11 = y0.rearrange(ODD, y1);
                        VectorMask<Float> at1 = v01.compare(VectorOperators.GT, v00);
                        FloatVector m = v00.max(v01);
                        VectorMask<Float> at2 = v10.compare(VectorOperators.GT, m);
                        m = m.max(v10);
                        VectorMask<Float> at3 = v11.compare(VectorOperators.GT, m);
                        FloatVector g = FloatVector.fromArray(S, dOut, src + ow);
                        VectorMask<Float> not3 = at3.not(), not23 = at2.or(at3).not();
                        FloatVector d00 = zero.blend(g, at1.not().and(not23));
                        FloatVector d01 = zero.blend(g, at1.and(not23));
                        FloatVector d10 = zero.blend(g, at2.and(not3));
                        FloatVector d11 = zero.blend(g, at3);
                        d00.rearrange(LOW, d01).intoArray(dIn, a);
                        d00.rearrange(HIGH, d01).intoArray(dIn, a + L);
                        d10.rearrange(LOW, d11).intoArray(dIn, b);
                        d10.rearrange(HIGH, d11).intoArray(dIn, b + L);
                    }
                    // the rest of the two rows (last windows, an odd last column): zeros, then one store per window
                    Arrays.fill(dIn, r0 + 2 * ow, r0 + W, 0.0f);
                    Arrays.fill(dIn, r1 + 2 * ow, r1 + W, 0.0f);
                    windows(dIn, dOut, in, r0, W, src, ow, OW);
                }
                Arrays.fill(dIn, plane + 2 * OH * W, plane + H * W, 0.0f); // an odd last row
            }
        }
    }

    /** Windows [from, to) of the row pair at r0 (zeroed by the caller): each one's gradient to its first argmax. */
    private static void windows(float[] dIn, float[] dOut, float[] in, int r0, int W, int src, int from, int to) {
        int r1 = r0 + W;
        for (int ow = from; ow < to; ow++) {
            int a = r0 + 2 * ow, b = r1 + 2 * ow;
            // first maximum in window order (0,0), (0,1), (1,0), (1,1), as the plain kernel; selects and Math.max
            // (vmaxss) rather than branches, which the unpredictable argmax made slower. Only a window holding a NaN
            // can route differently from the plain kernel (Math.max keeps the NaN)
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
