package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/** Data-matrix kernels for preprocessing (PCA). */
public final class Linalg {
    private Linalg() {
    }

    /**
     * Upper triangle of the Gram matrix of a chunk of rows, accumulated:
     * out[i,j] += Σ_n in[n,i]·in[n,j] for j ≥ i. The lower triangle is left untouched (the host
     * mirrors it). Zero rows (padding of the last chunk) add nothing.
     * <pre>in: (N, F), out: (F, F)</pre> Range over i.
     */
    public static void gramAccumulate(float[] out, float[] in, int N, int F, int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            for (@Parallel int j = 0; j < F; j++) {
                int i = start + t;
                if (j >= i) {
                    float acc = 0.0f;
                    for (int n = 0; n < N; n++) {
                        acc += in[n * F + i] * in[n * F + j];
                    }
                    out[i * F + j] += acc;
                }
            }
        }
    }
}
