package relutornado.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import relutornado.engine.Engine;
import relutornado.engine.JavaEngine;
import relutornado.kernels.Dropout;

/**
 * Whole-network gradient check, as llm.c does for GPT-2: the gradient slab after one training step
 * (with a zero learning rate, so Adam leaves θ alone) against central differences of a
 * double-precision reference of the same network — dropout masks included, drawn from the same hash.
 */
class NetworkGradientTest {
    static final double EPS = 1e-7;

    /** Mean Keras cross-entropy of the network in double precision, with the training-time dropout masks. */
    static double referenceLoss(ModelSpec spec, ParamLayout layout, double[] theta, float[] x, int[] y, int n, int seed, int step) {
        var tensors = layout.tensors();
        int width = spec.inputs();
        double[] in = new double[n * width];
        for (int i = 0; i < in.length; i++) {
            in[i] = x[i];
        }
        int tensor = 0;
        for (int l = 0; l < spec.layers().size(); l++) {
            LayerSpec layer = spec.layers().get(l);
            if (layer instanceof Layers.DenseLayer dense) {
                int C = width, H = dense.units();
                int wOff = tensors.get(tensor++).offset(), bOff = tensors.get(tensor++).offset();
                double[] out = new double[n * H];
                for (int r = 0; r < n; r++) {
                    for (int o = 0; o < H; o++) {
                        double acc = theta[bOff + o];
                        for (int c = 0; c < C; c++) {
                            acc += in[r * C + c] * theta[wOff + c * H + o];
                        }
                        out[r * H + o] = acc;
                    }
                }
                in = out;
                width = H;
            } else if (layer instanceof Layers.ReluLayer) {
                for (int i = 0; i < in.length; i++) {
                    in[i] = Math.max(0, in[i]);
                }
            } else if (layer instanceof Layers.DropoutLayer drop) {
                for (int i = 0; i < in.length; i++) {
                    float u = Dropout.uniform(seed, step, l, i);
                    in[i] = u >= drop.rate() ? in[i] * (1.0f / (1.0f - drop.rate())) : 0;
                }
            } else {
                throw new IllegalStateException("no reference for " + layer);
            }
        }
        int K = spec.classes();
        double total = 0;
        for (int r = 0; r < n; r++) {
            double p;
            if (spec.head() == Head.SOFTMAX) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < K; j++) {
                    max = Math.max(max, in[r * K + j]);
                }
                for (int j = 0; j < K; j++) {
                    sum += Math.exp(in[r * K + j] - max);
                }
                p = Math.exp(in[r * K + y[r]] - max) / sum;
            } else {
                double sum = 0;
                for (int j = 0; j < K; j++) {
                    sum += Math.max(0, in[r * K + j]);
                }
                p = sum > 0 ? Math.max(0, in[r * K + y[r]]) / sum : EPS;
            }
            total += -Math.log(Math.min(Math.max(p, EPS), 1 - EPS));
        }
        return total / n;
    }

    @ParameterizedTest
    @EnumSource(Head.class)
    void trainStepGradientsMatchFiniteDifferences(Head head) {
        ModelSpec spec = ModelSpec.ffnn(6, new int[] {7, 5}, 0.2f, 3, head);
        int batch = 5;
        int n = 4; // one padding row: it must not contribute
        Network net = new Network(spec, batch);
        net.initialise(42);
        Random rnd = new Random(7);
        for (int i = 0; i < net.x.length; i++) {
            net.x[i] = (float) rnd.nextGaussian();
        }
        for (int r = 0; r < batch; r++) {
            net.labels[r] = r % 3;
        }
        // biases away from zero so that the ReLU head's outputs are alive for most rows
        for (ParamLayout.Tensor t : net.layout().tensors()) {
            if (t.bias()) {
                for (int i = 0; i < t.size(); i++) {
                    net.params[t.offset() + i] = 0.3f + 0.1f * (float) rnd.nextGaussian();
                }
            }
        }
        net.valid[0] = n;
        net.rng[0] = 10;
        net.rng[1] = 3;
        net.adamStep(0, 0.9, 0.999, 1e-8, 1); // lr 0: Adam leaves θ unchanged, grads stay readable
        float[] before = net.params.clone();
        try (Engine engine = new JavaEngine(); Engine.Session s = engine.open(net.program())) {
            s.run(Network.TRAIN);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, net.params);

        double[] theta = new double[before.length];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = before[i];
        }
        double h = 1e-6;
        double maxDiff = 0;
        int checked = 0;
        for (int i = 0; i < theta.length; i++) {
            double keep = theta[i];
            theta[i] = keep + h;
            double plus = referenceLoss(spec, net.layout(), theta, net.x, net.labels, n, 10, 3);
            theta[i] = keep - h;
            double minus = referenceLoss(spec, net.layout(), theta, net.x, net.labels, n, 10, 3);
            theta[i] = keep;
            double numeric = (plus - minus) / (2 * h);
            double diff = Math.abs(numeric - net.grads[i]);
            maxDiff = Math.max(maxDiff, diff);
            int idx = i;
            assertTrue(diff <= 1e-4 + 1e-3 * Math.abs(numeric),
                    () -> head + " dθ[" + idx + "]: finite difference " + numeric + ", kernel " + net.grads[idx]);
            checked++;
        }
        System.out.printf("network gradient (%s head): %d parameters, max |diff| = %.3e (tol 1e-4 + 1e-3·|g|)%n", head, checked, maxDiff);
        double norm = 0;
        for (float g : net.grads) {
            norm += g * g;
        }
        assertTrue(norm > 1e-6, "the gradient must not be trivially zero");
    }
}
