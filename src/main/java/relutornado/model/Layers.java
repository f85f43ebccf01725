package relutornado.model;

import java.util.List;
import relutornado.kernels.Activation;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Dense;
import relutornado.kernels.Dropout;
import relutornado.kernels.MaxPool;

/**
 * The layers: dense, ReLU, dropout (any shape), and for images conv, 2×2 max pooling and flatten.
 * Image activations are NCHW, per row (C, H, W) contiguous (see {@link Conv2d}).
 */
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

    /** Keras' Conv2D(filters, (kernel, kernel), padding=padding), stride 1, on (C, H, W) inputs. */
    public static LayerSpec conv2d(int filters, int kernel, String padding) {
        return new Conv2dLayer(filters, kernel, padding);
    }

    /** Keras' MaxPooling2D((2, 2)): stride 2, 'valid' (an odd last row or column is dropped). */
    public static LayerSpec maxPool2() {
        return new MaxPool2Layer();
    }

    /** Keras' Flatten: (C, H, W) → (C·H·W), a shape change only (NCHW rows are contiguous). */
    public static LayerSpec flatten() {
        return new FlattenLayer();
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
        public Compiled compile(Builder b, int index, String name, int[] inShape, Activations in, int[] offsets) {
            int N = b.batch(), C = LayerSpec.size(inShape), OC = units, wOff = offsets[0], bOff = offsets[1];
            float[] out = b.work(name + "_out", N * OC);
            b.forward(in, x -> b.call(name + "_fwd", Dense.class, "forward", out, x, b.params(), wOff, bOff, C, OC, 0, N));
            return new Compiled(new Activations(out, out), (calls, dOut, dIn) -> {
                // the bias first: a device engine may fuse it into the pass that wrote dOut (relutornado.engine.Fusions)
                calls.add(b.call(name + "_bwd_b", Dense.class, "backwardBias", b.grads(), dOut, bOff, N, OC, 0, OC));
                calls.add(b.call(name + "_bwd_w", Dense.class, "backwardWeights", b.grads(), dOut, in.train(), wOff, N, C, OC, 0, C));
                if (dIn != null) {
                    calls.add(b.call(name + "_bwd_in", Dense.class, "backwardInput", dIn, dOut, b.params(), wOff, C, OC, 0, N));
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
        public Compiled compile(Builder b, int index, String name, int[] inShape, Activations in, int[] offsets) {
            int E = b.batch() * LayerSpec.size(inShape);
            float[] out = b.work(name + "_out", E);
            b.forward(in, x -> b.call(name + "_fwd", Activation.class, "reluForward", out, x, 0, E));
            return new Compiled(new Activations(out, out), (calls, dOut, dIn) -> {
                if (dIn != null) {
                    calls.add(b.call(name + "_bwd", Activation.class, "reluBackward", dIn, dOut, in.train(), 0, E));
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
        public Compiled compile(Builder b, int index, String name, int[] inShape, Activations in, int[] offsets) {
            int E = b.batch() * LayerSpec.size(inShape);
            float[] out = b.work(name + "_out", E);
            float[] mask = b.work(name + "_mask", E);
            // the layer's index in the model keeps masks of different layers independent
            b.train().add(b.call(name + "_fwd", Dropout.class, "forward", out, mask, in.train(), b.rng(), index, rate, 0, E));
            return new Compiled(new Activations(out, in.eval()), (calls, dOut, dIn) -> {
                if (dIn != null) {
                    calls.add(b.call(name + "_bwd", Dropout.class, "backward", dIn, dOut, mask, 0, E));
                }
            });
        }
    }

    /**
     * 2-D convolution, stride 1: (C, H, W) → (filters, OH, OW). Parameters: W (OC, C, K, K), then b (OC);
     * Glorot fans as Keras: fanIn = C·K·K, fanOut = OC·K·K.
     */
    record Conv2dLayer(int filters, int kernel, String padding) implements LayerSpec {
        Conv2dLayer {
            if (filters < 1) {
                throw new IllegalArgumentException("conv layer needs >= 1 filters, got " + filters);
            }
            if (kernel < 1) {
                throw new IllegalArgumentException("conv layer needs a kernel size >= 1, got " + kernel);
            }
            if (!padding.equals("valid") && !padding.equals("same")) {
                throw new IllegalArgumentException("conv padding must be 'valid' or 'same', got '" + padding + "'");
            }
            if (padding.equals("same") && kernel % 2 == 0) {
                throw new IllegalArgumentException("conv 'same' padding needs an odd kernel size, got " + kernel);
            }
        }

        int pad() {
            return padding.equals("same") ? (kernel - 1) / 2 : 0;
        }

        @Override
        public String kind() {
            return "conv";
        }

        @Override
        public int[] outputShape(int[] in) {
            if (in.length != 3) {
                throw new IllegalArgumentException(this + " needs a (C, H, W) input, got " + java.util.Arrays.toString(in));
            }
            int oh = Conv2d.outputSize(in[1], kernel, pad()), ow = Conv2d.outputSize(in[2], kernel, pad());
            if (oh < 1 || ow < 1) {
                throw new IllegalArgumentException(this + " on a " + in[1] + "x" + in[2] + " input leaves no output (" + oh + "x" + ow + ")");
            }
            return new int[] {filters, oh, ow};
        }

        @Override
        public int[] addParameters(ParamLayout layout, String name, int[] in) {
            int C = in[0], taps = kernel * kernel;
            return new int[] {layout.weights(name + ".W", filters, C * taps, C * taps, filters * taps), layout.bias(name + ".b", filters)};
        }

        @Override
        public Compiled compile(Builder b, int index, String name, int[] inShape, Activations in, int[] offsets) {
            int N = b.batch(), wOff = offsets[0], bOff = offsets[1];
            int[] o = outputShape(inShape);
            ConvShape s = new ConvShape(inShape[0], inShape[1], inShape[2], filters, kernel, pad(), o[1], o[2]);
            float[] out = b.work(name + "_out", N * LayerSpec.size(o));
            b.forward(in, x -> b.call(name + "_fwd", Conv2d.class, "forward", out, x, b.params(), wOff, bOff, s.dims(), 0, N));
            return new Compiled(new Activations(out, out), (calls, dOut, dIn) -> {
                calls.add(b.call(name + "_bwd_w", Conv2d.class, "backwardWeights", b.grads(), dOut, in.train(), wOff, N, s.dims(),
                        0, s.OC));
                calls.add(b.call(name + "_bwd_b", Conv2d.class, "backwardBias", b.grads(), dOut, bOff, N, s.OC, s.OH, s.OW, 0, s.OC));
                if (dIn != null) {
                    calls.add(b.call(name + "_bwd_in", Conv2d.class, "backwardInput", dIn, dOut, b.params(), wOff, s.dims(), 0, N));
                }
            });
        }
    }

    /** A convolution's sizes: input (C, H, W), OC filters of K×K, padding, output (OH, OW). */
    record ConvShape(int C, int H, int W, int OC, int K, int pad, int OH, int OW) {
        /** The sizes in the Conv2d kernels' argument order: C, H, W, OC, KH, KW, pad, OH, OW. */
        Object[] dims() {
            return new Object[] {C, H, W, OC, K, K, pad, OH, OW};
        }
    }

    /** 2×2 max pooling, stride 2: (C, H, W) → (C, H/2, W/2); backward routes to the window's first argmax. */
    record MaxPool2Layer() implements LayerSpec {
        @Override
        public String kind() {
            return "pool";
        }

        @Override
        public int[] outputShape(int[] in) {
            if (in.length != 3) {
                throw new IllegalArgumentException(this + " needs a (C, H, W) input, got " + java.util.Arrays.toString(in));
            }
            if (in[1] < 2 || in[2] < 2) {
                throw new IllegalArgumentException(this + " needs at least a 2x2 input, got " + in[1] + "x" + in[2]);
            }
            return new int[] {in[0], in[1] / 2, in[2] / 2};
        }

        @Override
        public Compiled compile(Builder b, int index, String name, int[] inShape, Activations in, int[] offsets) {
            int N = b.batch(), C = inShape[0], H = inShape[1], W = inShape[2], OH = H / 2, OW = W / 2;
            float[] out = b.work(name + "_out", N * C * OH * OW);
            b.forward(in, x -> b.call(name + "_fwd", MaxPool.class, "forward2x2", out, x, C, H, W, OH, OW, 0, N));
            return new Compiled(new Activations(out, out), (calls, dOut, dIn) -> {
                if (dIn != null) {
                    calls.add(b.call(name + "_bwd", MaxPool.class, "backward2x2", dIn, dOut, in.train(), C, H, W, OH, OW, 0, N));
                }
            });
        }
    }

    /** (C, H, W) → (C·H·W): the same array, read as features. */
    record FlattenLayer() implements LayerSpec {
        @Override
        public String kind() {
            return "flatten";
        }

        @Override
        public boolean reshapeOnly() {
            return true;
        }

        @Override
        public int[] outputShape(int[] in) {
            return new int[] {LayerSpec.size(in)};
        }

        @Override
        public Compiled compile(Builder b, int index, String name, int[] inShape, Activations in, int[] offsets) {
            return new Compiled(in, (calls, dOut, dIn) -> {
                throw new IllegalStateException("flatten has no backward calls: the network passes its gradient on");
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
