package relutornado.kernels.vector;

import relutornado.kernels.Adam;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.vectors.Float8;

/**
 * {@link relutornado.kernels.Adam#update} for OpenCL CPU devices on TornadoVM's vector types ({@code --device-kernels
 * vector}): each work-item updates 8 consecutive parameters as {@code float8} (TornadoVM's scalar {@code float[]} code is
 * not vectorised by CPU drivers), the operations in the plain kernel's order, so the results are the same floats.
 * A last group of fewer than 8 runs the plain loop. Work-items: ⌈count / 8⌉.
 */
public final class AdamVector {
    private AdamVector() {
    }

    public static void update(float[] params, float[] m, float[] v, float[] grads, float[] hyper, int start, int count) {
        for (@Parallel int t = 0; t < (count + 7) / 8; t++) {
            int i0 = start + t * 8;
            float lrT = hyper[0];
            float beta1 = hyper[1];
            float beta2 = hyper[2];
            float eps = hyper[3];
            if (i0 + 8 <= start + count) {
                Float8 g = load8(grads, i0);
                Float8 mi = Float8.add(Float8.mult(load8(m, i0), beta1), Float8.mult(g, 1.0f - beta1));
                Float8 vi = Float8.add(Float8.mult(load8(v, i0), beta2), Float8.mult(Float8.mult(g, 1.0f - beta2), g));
                Float8 step = Float8.div(Float8.mult(mi, lrT), Float8.add(sqrt8(vi), eps));
                store8(m, i0, mi);
                store8(v, i0, vi);
                store8(params, i0, Float8.sub(load8(params, i0), step));
            } else {
                for (int i = i0; i < start + count; i++) {
                    Adam.step(params, m, v, grads, i, lrT, beta1, beta2, eps);
                }
            }
        }
    }

    /** Lane by lane: TornadoVM 5.2's Float8.sqrt, run on the JVM, returns zeros and overwrites its argument. */
    static Float8 sqrt8(Float8 x) {
        return new Float8((float) Math.sqrt(x.get(0)), (float) Math.sqrt(x.get(1)), (float) Math.sqrt(x.get(2)), (float) Math.sqrt(x.get(3)),
                (float) Math.sqrt(x.get(4)), (float) Math.sqrt(x.get(5)), (float) Math.sqrt(x.get(6)), (float) Math.sqrt(x.get(7)));
    }

    static Float8 load8(float[] a, int o) {
        return new Float8(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7]);
    }

    /** As GemmVector.store16: each lane through an addition, the portable way to store a vector lane. */
    static void store8(float[] a, int o, Float8 x) {
        for (int e = 0; e < 8; e++) {
            a[o + e] = x.get(e) + 0.0f;
        }
    }
}
