package relutornado.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import relutornado.engine.KernelCall;
import relutornado.engine.Program;

/**
 * One layer of a model: how its per-row shape changes, which parameters it owns, and the kernel
 * calls it compiles to. A {@link Network} compiles layers in order for the forward pass and in
 * reverse for the backward pass.
 */
public interface LayerSpec {

    /** Short name used in task and buffer names ("dense", "relu", "dropout", "conv", "pool", "flatten"). */
    String kind();

    /** Per-row output shape for a per-row input shape, e.g. {C, H, W} or {F}. */
    int[] outputShape(int[] in);

    /**
     * True for a layer that only renames the shape (flatten): it compiles to no calls, its output is its
     * input array, and the network hands the upstream gradient straight on.
     */
    default boolean reshapeOnly() {
        return false;
    }

    /** Registers this layer's tensors in the parameter layout; returns their offsets (empty if none). */
    default int[] addParameters(ParamLayout layout, String name, int[] in) {
        return new int[0];
    }

    /**
     * Adds the layer's forward calls (to {@code b.train} and {@code b.eval}) reading {@code in}, and
     * returns its output and how to emit its backward pass. {@code index} is the layer's position in the model.
     */
    Compiled compile(Builder b, int index, String name, int[] inShape, Activations in, int[] offsets);

    /** The activations a layer reads or writes: training and evaluation differ after dropout. */
    record Activations(float[] train, float[] eval) {
    }

    /** What a compiled layer hands on. */
    record Compiled(Activations out, Backward backward) {
    }

    /** Emits backward calls: dIn from dOut (dIn is null for the first layer, whose input gradient nobody needs). */
    @FunctionalInterface
    interface Backward {
        void emit(List<KernelCall> calls, float[] dOut, float[] dIn);
    }

    /** Everything a layer needs to compile: the program, batch size, the shared arrays and the two phases' calls. */
    record Builder(Program program, int batch, float[] params, float[] grads, int[] rng, List<KernelCall> train,
                   List<KernelCall> eval) {

        /** Registers a WORK array of the given length. */
        public float[] work(String name, int length) {
            return program.buffer(name, new float[length], Program.Role.WORK);
        }

        /**
         * A call of {@code kernels.method}; an {@code Object[]} among the arguments stands for its elements, so a
         * group of sizes travels as one value ({@code conv.dims()}).
         */
        public KernelCall call(String name, Class<?> kernels, String method, Object... args) {
            List<Object> flat = new ArrayList<>();
            for (Object a : args) {
                if (a instanceof Object[] group) {
                    flat.addAll(Arrays.asList(group));
                } else {
                    flat.add(a);
                }
            }
            return KernelCall.of(name, kernels, method, flat.toArray());
        }

        /**
         * A forward call, emitted once for both phases: {@code call} is given the input to read (the train phase's,
         * then the eval phase's); the eval phase shares the train call when both read the same array.
         */
        public void forward(Activations in, Function<float[], KernelCall> call) {
            KernelCall trainCall = call.apply(in.train());
            train.add(trainCall);
            eval.add(in.eval() == in.train() ? trainCall : call.apply(in.eval()));
        }
    }

    static int size(int[] shape) {
        int s = 1;
        for (int d : shape) {
            s = Math.multiplyExact(s, d);
        }
        return s;
    }
}
