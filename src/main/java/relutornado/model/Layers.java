package relutornado.model;

import java.util.List;
import relutornado.engine.KernelCall;
import relutornado.kernels.Activation;
import relutornado.kernels.Dense;
import relutornado.kernels.Dropout;

/** The FFNN layers: dense, ReLU, dropout. */
public final class Layers {
    private Layers() {
    }

    public static LayerSpec dense(int units) {
        return new DenseLayer(units);
    }

    public static LayerSpec relu() {
        return new ReluLayer();
    }

    public static LayerSpec dropout(float rate) {
        return new DropoutLayer(rate);
    }

    /** Fully connected: (N, C) → (N, units); any input shape is read as C = its size (a flatten). */
    record DenseLayer(int units) implements LayerSpec {
        DenseLayer {
            if (units < 1) {
                throw new IllegalArgumentException("dense layer needs >= 1 units, got " + units);
            }
        }

        @Override
        public String kind() {
            return "dense";
        }

        @Override
        public int[] outputShape(int[] in) {
            return new int[] {units};
        }

        @Override
        public int[] addParameters(ParamLayout layout, String name, int[] in) {
            int C = LayerSpec.size(in);
            return new int[] {layout.weights(name + ".W", C, units), layout.bias(name + ".b", units)};
        }

        @Override
        public Compiled compile(Builder b, String name, int[] inShape, Activations in, int[] offsets) {
            int N = b.batch(), C = LayerSpec.size(inShape), OC = units, wOff = offsets[0], bOff = offsets[1];
            float[] out = b.work(name + "_out", N * OC);
            b.train().add(KernelCall.of(name + "_fwd", Dense.class, "forward", out, in.train(), b.params(), wOff, bOff, C, OC, 0, N));
            b.eval().add(KernelCall.of(name + "_fwd", Dense.class, "forward", out, in.eval(), b.params(), wOff, bOff, C, OC, 0, N));
            return new Compiled(new Activations(out, out), (calls, dOut, dIn) -> {
                calls.add(KernelCall.of(name + "_bwd_w", Dense.class, "backwardWeights", b.grads(), dOut, in.train(), wOff, N, C, OC, 0, C));
                calls.add(KernelCall.of(name + "_bwd_b", Dense.class, "backwardBias", b.grads(), dOut, bOff, N, OC, 0, OC));
                if (dIn != null) {
                    calls.add(KernelCall.of(name + "_bwd_in", Dense.class, "backwardInput", dIn, dOut, b.params(), wOff, C, OC, 0, N));
                }
            });
        }
    }

    /** max(0, x), elementwise; backward reads the saved input. */
    record ReluLayer() implements LayerSpec {
        @Override
        public String kind() {
            return "relu";
        }

        @Override
        public int[] outputShape(int[] in) {
            return in.clone();
        }

        @Override
        public Compiled compile(Builder b, String name, int[] inShape, Activations in, int[] offsets) {
            int E = b.batch() * LayerSpec.size(inShape);
            float[] out = b.work(name + "_out", E);
            KernelCall fwd = KernelCall.of(name + "_fwd", Activation.class, "reluForward", out, in.train(), 0, E);
            b.train().add(fwd);
            b.eval().add(in.eval() == in.train() ? fwd
                    : KernelCall.of(name + "_fwd", Activation.class, "reluForward", out, in.eval(), 0, E));
            return new Compiled(new Activations(out, out), (calls, dOut, dIn) -> {
                if (dIn != null) {
                    calls.add(KernelCall.of(name + "_bwd", Activation.class, "reluBackward", dIn, dOut, in.train(), 0, E));
                }
            });
        }
    }

    /** Inverted dropout at training time; the identity at evaluation (no calls, the input passes on). */
    record DropoutLayer(float rate) implements LayerSpec {
        DropoutLayer {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
            }
        }

        @Override
        public String kind() {
            return "dropout";
        }

        @Override
        public int[] outputShape(int[] in) {
            return in.clone();
        }

        @Override
        public Compiled compile(Builder b, String name, int[] inShape, Activations in, int[] offsets) {
            int E = b.batch() * LayerSpec.size(inShape);
            float[] out = b.work(name + "_out", E);
            float[] mask = b.work(name + "_mask", E);
            // the layer's index in the model keeps masks of different layers independent
            int layer = Integer.parseInt(name.replaceAll("\\D", ""));
            b.train().add(KernelCall.of(name + "_fwd", Dropout.class, "forward", out, mask, in.train(), b.rng(), layer, rate, 0, E));
            return new Compiled(new Activations(out, in.eval()), (calls, dOut, dIn) -> {
                if (dIn != null) {
                    calls.add(KernelCall.of(name + "_bwd", Dropout.class, "backward", dIn, dOut, mask, 0, E));
                }
            });
        }
    }

    /** For javadoc and reports: the layers in order. */
    static String describe(List<LayerSpec> layers) {
        StringBuilder s = new StringBuilder();
        for (LayerSpec l : layers) {
            s.append(s.isEmpty() ? "" : " → ").append(l);
        }
        return s.toString();
    }
}
