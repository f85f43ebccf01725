package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Device variant of {@link Linalg#gramAccumulate} for OpenCL/PTX devices: same signature and semantics
 * (accumulates the upper triangle, j ≥ i), each work-item a {@value DenseDevice#T}×{@value DenseDevice#T}
 * register tile of (i, j); tiles wholly below the diagonal do nothing. The outer {@code @Parallel} loop
 * (dimension 0) runs along j, contiguous in a row of the data. Work-items (tiles(F), tiles(count)).
 */
public final class LinalgDevice {
    private static final int T = DenseDevice.T;

    private LinalgDevice() {
    }

    /** out[i,j] += Σ_n in[n,i]·in[n,j] for j ≥ i, i in [start, start+count). <pre>in: (N, F), out: (F, F)</pre> */
    public static void gramAccumulate(float[] out, float[] in, int N, int F, int start, int count) {
        for (@Parallel int tj = 0; tj < (F + T - 1) / T; tj++) {
            for (@Parallel int ti = 0; ti < (count + T - 1) / T; ti++) {
                int last = start + count - 1;
                int i0 = start + ti * T;
                int j0 = tj * T;
                if (j0 + T - 1 >= i0) {
                    int i1 = Math.min(i0 + 1, last);
                    int i2 = Math.min(i0 + 2, last);
                    int i3 = Math.min(i0 + 3, last);
                    int j1 = Math.min(j0 + 1, F - 1);
                    int j2 = Math.min(j0 + 2, F - 1);
                    int j3 = Math.min(j0 + 3, F - 1);
                    float a00 = 0f, a01 = 0f, a02 = 0f, a03 = 0f, a10 = 0f, a11 = 0f, a12 = 0f, a13 = 0f;
                    float a20 = 0f, a21 = 0f, a22 = 0f, a23 = 0f, a30 = 0f, a31 = 0f, a32 = 0f, a33 = 0f;
                    for (int n = 0; n < N; n++) {
                        float x0 = in[n * F + i0];
                        float x1 = in[n * F + i1];
                        float x2 = in[n * F + i2];
                        float x3 = in[n * F + i3];
                        float y0 = in[n * F + j0];
                        float y1 = in[n * F + j1];
                        float y2 = in[n * F + j2];
                        float y3 = in[n * F + j3];
                        a00 += x0 * y0; a01 += x0 * y1; a02 += x0 * y2; a03 += x0 * y3;
                        a10 += x1 * y0; a11 += x1 * y1; a12 += x1 * y2; a13 += x1 * y3;
                        a20 += x2 * y0; a21 += x2 * y1; a22 += x2 * y2; a23 += x2 * y3;
                        a30 += x3 * y0; a31 += x3 * y1; a32 += x3 * y2; a33 += x3 * y3;
                    }
                    int rows = last - i0 + 1;
                    int cols = F - j0;
                    addUpper(out, F, i0, j0, cols, a00, a01, a02, a03);
                    if (rows > 1) {
                        addUpper(out, F, i0 + 1, j0, cols, a10, a11, a12, a13);
                    }
                    if (rows > 2) {
                        addUpper(out, F, i0 + 2, j0, cols, a20, a21, a22, a23);
                    }
                    if (rows > 3) {
                        addUpper(out, F, i0 + 3, j0, cols, a30, a31, a32, a33);
                    }
                }
            }
        }
    }

    /** out[i, j0+k] += v_k for the first {@code valid} k with j0+k ≥ i (upper triangle only). */
    private static void addUpper(float[] out, int F, int i, int j0, int valid, float v0, float v1, float v2, float v3) {
        int at = i * F + j0;
        if (j0 >= i) {
            out[at] += v0;
        }
        if (valid > 1 && j0 + 1 >= i) {
            out[at + 1] += v1;
        }
        if (valid > 2 && j0 + 2 >= i) {
            out[at + 2] += v2;
        }
        if (valid > 3 && j0 + 3 >= i) {
            out[at + 3] += v3;
        }
    }
}
