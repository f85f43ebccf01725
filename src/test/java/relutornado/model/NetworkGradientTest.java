package relutornado.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
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
        int[] shape = spec.inputShape();
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
            } else if (layer instanceof Layers.Conv2dLayer conv) {
                in = referenceConv(in, n, shape, conv, theta, tensors.get(tensor++).offset(), tensors.get(tensor++).offset());
            } else if (layer instanceof Layers.MaxPool2Layer) {
                in = referencePool(in, n, shape);
            } else if (layer instanceof Layers.ReluLayer) {
                for (int i = 0; i < in.length; i++) {
                    in[i] = Math.max(0, in[i]);
                }
            } else if (layer instanceof Layers.DropoutLayer drop) {
                for (int i = 0; i < in.length; i++) {
                    float u = Dropout.uniform(seed, step, l, i);
                    in[i] = u >= drop.rate() ? in[i] * (1.0f / (1.0f - drop.rate())) : 0;
                }
            } else if (!(layer instanceof Layers.FlattenLayer)) {
                throw new IllegalStateException("no reference for " + layer);
            }
            shape = layer.outputShape(shape);
            width = LayerSpec.size(shape);
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

    /** Zero-padded cross-correlation, every tap tested against the image border: (C, H, W) → (OC, OH, OW). */
    static double[] referenceConv(double[] in, int n, int[] shape, Layers.Conv2dLayer conv, double[] theta, int wOff, int bOff) {
        int C = shape[0], H = shape[1], W = shape[2], K = conv.kernel(), OC = conv.filters(), pad = conv.pad();
        int OH = H + 2 * pad - K + 1, OW = W + 2 * pad - K + 1;
        double[] out = new double[n * OC * OH * OW];
        for (int r = 0; r < n; r++) {
            for (int oc = 0; oc < OC; oc++) {
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double acc = theta[bOff + oc];
                        for (int c = 0; c < C; c++) {
                            for (int kh = 0; kh < K; kh++) {
                                for (int kw = 0; kw < K; kw++) {
                                    int ih = oh + kh - pad, iw = ow + kw - pad;
                                    if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                                        acc += in[((r * C + c) * H + ih) * W + iw] * theta[wOff + ((oc * C + c) * K + kh) * K + kw];
                                    }
                                }
                            }
                        }
                        out[((r * OC + oc) * OH + oh) * OW + ow] = acc;
                    }
                }
            }
        }
        return out;
    }

    /** 2x2 max over full windows: (C, H, W) → (C, H/2, W/2). */
    static double[] referencePool(double[] in, int n, int[] shape) {
        int C = shape[0], H = shape[1], W = shape[2], OH = H / 2, OW = W / 2;
        double[] out = new double[n * C * OH * OW];
        for (int rc = 0; rc < n * C; rc++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int d = 0; d < 4; d++) {
                        m = Math.max(m, in[(rc * H + 2 * oh + d / 2) * W + 2 * ow + d % 2]);
                    }
                    out[(rc * OH + oh) * OW + ow] = m;
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Head.class)
    void trainStepGradientsMatchFiniteDifferences(Head head) {
        ModelSpec spec = ModelSpec.ffnn(6, new int[] {7, 5}, 0.2f, 3, head);
        checkGradients("ffnn", spec, 5, 4, head, IntStream.range(0, spec.parameterCount()).toArray());
    }

    /**
     * A tiny CNN with every image layer (same and valid convolutions, pooling with an odd leftover row,
     * dropout on an image, flatten): every parameter checked.
     */
    @ParameterizedTest
    @EnumSource(Head.class)
    void tinyCnnGradientsMatchFiniteDifferences(Head head) {
        ModelSpec spec = new ModelSpec("cnn", new int[] {2, 7, 6}, java.util.List.of(
                Layers.conv2d(3, 3, "same"), Layers.relu(),
                Layers.conv2d(4, 3, "valid"), Layers.relu(),
                Layers.maxPool2(), Layers.dropout(0.2f),
                Layers.flatten(),
                Layers.dense(5), Layers.relu(), Layers.dropout(0.3f),
                Layers.dense(3)), 3, head);
        checkGradients("tiny cnn", spec, 5, 4, head, IntStream.range(0, spec.parameterCount()).toArray());
    }

    /** The paper's CNN on its 16×16×1 input: a few parameters of every tensor (first, last and random ones). */
    @ParameterizedTest
    @EnumSource(Head.class)
    void paperCnnGradientsMatchFiniteDifferences(Head head) {
        ModelSpec spec = ModelSpec.cnn(1, 16, 16, 10, head);
        ParamLayout layout = new Network(spec, 1).layout();
        Random rnd = new Random(3);
        java.util.List<Integer> picks = new java.util.ArrayList<>();
        for (ParamLayout.Tensor t : layout.tensors()) {
            picks.add(t.offset());
            picks.add(t.offset() + t.size() - 1);
            for (int k = 0; k < 3; k++) {
                picks.add(t.offset() + rnd.nextInt(t.size()));
            }
        }
        checkGradients("paper cnn", spec, 4, 3, head, picks.stream().mapToInt(Integer::intValue).distinct().toArray());
    }

    /**
     * One training step on the JVM engine with lr 0, then the gradient slab at the given indices against
     * central differences of {@link #referenceLoss}. Rows n..batch-1 are padding and must not contribute.
     */
    static void checkGradients(String what, ModelSpec spec, int batch, int n, Head head, int[] indices) {
        Network net = new Network(spec, batch);
        net.initialise(42);
        Random rnd = new Random(7);
        for (int i = 0; i < net.x.length; i++) {
            net.x[i] = (float) rnd.nextGaussian();
        }
        int K = spec.classes();
        for (int r = 0; r < batch; r++) {
            net.labels[r] = r % K;
        }
        // biases away from zero so that the ReLU head's outputs are alive for most rows; the output layer's
        // at 2, so that the true class's output is positive too (else p[y] is clipped and the gradient is 0)
        var tensors = net.layout().tensors();
        for (ParamLayout.Tensor t : tensors) {
            if (t.bias()) {
                float centre = t == tensors.get(tensors.size() - 1) ? 2.0f : 0.3f;
                for (int i = 0; i < t.size(); i++) {
                    net.params[t.offset() + i] = centre + 0.1f * (float) rnd.nextGaussian();
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
        for (int i : indices) {
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
                    () -> what + ", " + head + " head, dθ[" + idx + "]: finite difference " + numeric + ", kernel " + net.grads[idx]);
            checked++;
        }
        System.out.printf("network gradient (%s, %s head): %d of %d parameters, max |diff| = %.3e (tol 1e-4 + 1e-3·|g|)%n", what, head,
                checked, theta.length, maxDiff);
        double norm = 0;
        for (float g : net.grads) {
            norm += g * g;
        }
        assertTrue(norm > 1e-6, "the gradient must not be trivially zero");
    }
}
