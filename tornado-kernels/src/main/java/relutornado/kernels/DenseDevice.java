package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Device variants of {@link Dense}'s matrix products for OpenCL/PTX devices (run by the {@code tornado}
 * engine with {@code --device-kernels tuned}): same names, signatures, layouts and overwrite semantics,
 * results equal to float rounding. Each work-item owns a {@value #T}×{@value #T} register tile of
 * outputs (16 accumulators; per step of the reduction it loads 4 + 4 values for 16 FMAs where the plain
 * kernel loads 2 for 1). The outer {@code @Parallel} loop (TornadoVM's dimension 0, the fastest) runs
 * along the output columns, whose operand is contiguous in memory; the inner one along rows. Edge
 * tiles clamp their load indices to the last valid row/column and guard their stores, so any shape
 * works. The loop bounds are tile counts: {@link #tiles(int)}.
 */
public final class DenseDevice {
    /** Register tile edge: each work-item computes T×T outputs. */
    public static final int T = 4;

    private DenseDevice() {
    }

    /** Tiles of T covering n elements (the work-item count along a dimension). */
    public static int tiles(int n) {
        return (n + T - 1) / T;
    }

    /**
     * out[n,o] = b[o] + Σ_c in[n,c]·W[c,o]. Overwrites out. Range over rows n.
     * <pre>in: (N, C), W: (C, OC) at params[wOff], b: (OC) at params[bOff], out: (N, OC); work-items (tiles(OC), tiles(count))</pre>
     */
    public static void forward(float[] out, float[] in, float[] params, int wOff, int bOff,
                               int C, int OC, int start, int count) {
        for (@Parallel int to = 0; to < (OC + T - 1) / T; to++) {
            for (@Parallel int tn = 0; tn < (count + T - 1) / T; tn++) {
                int last = start + count - 1;
                int n0 = start + tn * T;
                int n1 = Math.min(n0 + 1, last);
                int n2 = Math.min(n0 + 2, last);
                int n3 = Math.min(n0 + 3, last);
                int o0 = to * T;
                int o1 = Math.min(o0 + 1, OC - 1);
                int o2 = Math.min(o0 + 2, OC - 1);
                int o3 = Math.min(o0 + 3, OC - 1);
                float a00 = 0f, a01 = 0f, a02 = 0f, a03 = 0f, a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f;
                float a20 = 0f, a21 = 0f, a22 = 0f, a23 = 0f, a30 = 0f, a31 = 0f, a32 = 0f, a33 = 0f;
                for (int c = 0; c < C; c++) {
                    float x0 = in[n0 * C + c];
                    float x1 = in[n1 * C + c];
                    float x2 = in[n2 * C + c];
                    float x3 = in[n3 * C + c];
                    int w = wOff + c * OC;
                    float w0 = params[w + o0];
                    float w1 = params[w + o1];
                    float w2 = params[w + o2];
                    float w3 = params[w + o3];
                    a00 += x0 * w0; a01 += x0 * w1; a02 += x0 * w2; a03 += x0 * w3;
                    a10 += x1 * w0; a11 += x1 * w1; a12 += x1 * w2; a13 += x1 * w3;
                    a20 += x2 * w0; a21 += x2 * w1; a22 += x2 * w2; a23 += x2 * w3;
                    a30 += x3 * w0; a31 += x3 * w1; a32 += x3 * w2; a33 += x3 * w3;
                }
                float b0 = params[bOff + o0];
                float b1 = params[bOff + o1];
                float b2 = params[bOff + o2];
                float b3 = params[bOff + o3];
                int rows = last - n0 + 1;
                int cols = OC - o0;
                store4(out, n0 * OC + o0, cols, a00 + b0, a01 + b1, a02 + b2, a03 + b3);
                if (rows > 1) {
                    store4(out, n1 * OC + o0, cols, a10 + b0, a11 + b1, a12 + b2, a13 + b3);
                }
                if (rows > 2) {
                    store4(out, n2 * OC + o0, cols, a20 + b0, a21 + b1, a22 + b2, a23 + b3);
                }
                if (rows > 3) {
                    store4(out, n3 * OC + o0, cols, a30 + b0, a31 + b1, a32 + b2, a33 + b3);
                }
            }
        }
    }

    /**
     * dIn[n,c] = Σ_o dOut[n,o]·W[c,o]. Overwrites dIn. Range over rows n.
     * <pre>dOut: (N, OC), W: (C, OC) at params[wOff], dIn: (N, C); work-items (tiles(C), tiles(count))</pre>
     */
    public static void backwardInput(float[] dIn, float[] dOut, float[] params, int wOff,
                                     int C, int OC, int start, int count) {
        for (@Parallel int tc = 0; tc < (C + T - 1) / T; tc++) {
            for (@Parallel int tn = 0; tn < (count + T - 1) / T; tn++) {
                int last = start + count - 1;
                int n0 = start + tn * T;
                int n1 = Math.min(n0 + 1, last);
                int n2 = Math.min(n0 + 2, last);
                int n3 = Math.min(n0 + 3, last);
                int c0 = tc * T;
                int c1 = Math.min(c0 + 1, C - 1);
                int c2 = Math.min(c0 + 2, C - 1);
                int c3 = Math.min(c0 + 3, C - 1);
                float a00 = 0f, a01 = 0f, a02 = 0f, a03 = 0f, a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f;
                float a20 = 0f, a21 = 0f, a22 = 0f, a23 = 0f, a30 = 0f, a31 = 0f, a32 = 0f, a33 = 0f;
                for (int o = 0; o < OC; o++) {
                    float d0 = dOut[n0 * OC + o];
                    float d1 = dOut[n1 * OC + o];
                    float d2 = dOut[n2 * OC + o];
                    float d3 = dOut[n3 * OC + o];
                    float w0 = params[wOff + c0 * OC + o];
                    float w1 = params[wOff + c1 * OC + o];
                    float w2 = params[wOff + c2 * OC + o];
                    float w3 = params[wOff + c3 * OC + o];
                    a00 += d0 * w0; a01 += d0 * w1; a02 += d0 * w2; a03 += d0 * w3;
                    a10 += d1 * w0; a11 += d1 * w1; a12 += d1 * w2; a13 += d1 * w3;
                    a20 += d2 * w0; a21 += d2 * w1; a22 += d2 * w2; a23 += d2 * w3;
                    a30 += d3 * w0; a31 += d3 * w1; a32 += d3 * w2; a33 += d3 * w3;
                }
                int rows = last - n0 + 1;
                int cols = C - c0;
                store4(dIn, n0 * C + c0, cols, a00, a01, a02, a03);
                if (rows > 1) {
                    store4(dIn, n1 * C + c0, cols, a10, a11, a12, a13);
                }
                if (rows > 2) {
                    store4(dIn, n2 * C + c0, cols, a20, a21, a22, a23);
                }
                if (rows > 3) {
                    store4(dIn, n3 * C + c0, cols, a30, a31, a32, a33);
                }
            }
        }
    }

    /**
     * dW[c,o] = Σ_n in[n,c]·dOut[n,o] into grads[wOff..]. Overwrites. Range over input features c.
     * <pre>in: (N, C), dOut: (N, OC), dW: (C, OC) at grads[wOff]; work-items (tiles(OC), tiles(count))</pre>
     */
    public static void backwardWeights(float[] grads, float[] dOut, float[] in, int wOff,
                                       int N, int C, int OC, int start, int count) {
        for (@Parallel int to = 0; to < (OC + T - 1) / T; to++) {
            for (@Parallel int tc = 0; tc < (count + T - 1) / T; tc++) {
                int last = start + count - 1;
                int c0 = start + tc * T;
                int c1 = Math.min(c0 + 1, last);
                int c2 = Math.min(c0 + 2, last);
                int c3 = Math.min(c0 + 3, last);
                int o0 = to * T;
                int o1 = Math.min(o0 + 1, OC - 1);
                int o2 = Math.min(o0 + 2, OC - 1);
                int o3 = Math.min(o0 + 3, OC - 1);
                float a00 = 0f, a01 = 0f, a02 = 0f, a03 = 0f, a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f;
                float a20 = 0f, a21 = 0f, a22 = 0f, a23 = 0f, a30 = 0f, a31 = 0f, a32 = 0f, a33 = 0f;
                for (int n = 0; n < N; n++) {
                    float x0 = in[n * C + c0];
                    float x1 = in[n * C + c1];
                    float x2 = in[n * C + c2];
                    float x3 = in[n * C + c3];
                    float d0 = dOut[n * OC + o0];
                    float d1 = dOut[n * OC + o1];
                    float d2 = dOut[n * OC + o2];
                    float d3 = dOut[n * OC + o3];
                    a00 += x0 * d0; a01 += x0 * d1; a02 += x0 * d2; a03 += x0 * d3;
                    a10 += x1 * d0; a11 += x1 * d1; a12 += x1 * d2; a13 += x1 * d3;
                    a20 += x2 * d0; a21 += x2 * d1; a22 += x2 * d2; a23 += x2 * d3;
                    a30 += x3 * d0; a31 += x3 * d1; a32 += x3 * d2; a33 += x3 * d3;
                }
                int rows = last - c0 + 1;
                int cols = OC - o0;
                store4(grads, wOff + c0 * OC + o0, cols, a00, a01, a02, a03);
                if (rows > 1) {
                    store4(grads, wOff + c1 * OC + o0, cols, a10, a11, a12, a13);
                }
                if (rows > 2) {
                    store4(grads, wOff + c2 * OC + o0, cols, a20, a21, a22, a23);
                }
                if (rows > 3) {
                    store4(grads, wOff + c3 * OC + o0, cols, a30, a31, a32, a33);
                }
            }
        }
    }

    /** Writes v0..v3 to a[at..at+3], only the first {@code valid} of them (an edge tile). */
    static void store4(float[] a, int at, int valid, float v0, float v1, float v2, float v3) {
        a[at] = v0;
        if (valid > 1) {
            a[at + 1] = v1;
        }
        if (valid > 2) {
            a[at + 2] = v2;
        }
        if (valid > 3) {
            a[at + 3] = v3;
        }
    }
}
