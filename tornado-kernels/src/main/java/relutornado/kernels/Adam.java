package relutornado.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1 with the efficient form of section 2, as Keras and
 * TensorFlow implement it): the bias corrections are folded into the step size,
 * {@code lrT = lr · sqrt(1 - β2^t) / (1 - β1^t)}, computed on the host each step.
 * <pre>params, grads, m, v: (P), the whole parameter slab; hyper: {lrT, β1, β2, ε}</pre>
 */
public final class Adam {
    private Adam() {
    }

    /**
     * m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; θ -= lrT · m / (sqrt(v) + ε).
     * Updates params, m, v in place. Range over parameters.
     */
    public static void update(float[] params, float[] m, float[] v, float[] grads, float[] hyper,
                              int start, int count) {
        for (@Parallel int t = 0; t < count; t++) {
            int i = start + t;
            step(params, m, v, grads, i, hyper[0], hyper[1], hyper[2], hyper[3]);
        }
    }

    /** The update of parameter i (also the tail of the device's float8 variant, so both give the same floats). */
    public static void step(float[] params, float[] m, float[] v, float[] grads, int i, float lrT, float beta1, float beta2, float eps) {
        float g = grads[i];
        float mi = beta1 * m[i] + (1.0f - beta1) * g;
        float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        params[i] = params[i] - lrT * mi / ((float) Math.sqrt(vi) + eps);
    }
}
