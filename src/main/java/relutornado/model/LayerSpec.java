package relutornado.model;

import java.util.List;
import relutornado.engine.KernelCall;

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
     * returns its output and how to emit its backward pass.
     */
    Compiled compile(Builder b, String name, int[] inShape, Activations in, int[] offsets);

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

    /** Everything a layer needs to compile: the program, batch size and the shared arrays. */
    interface Builder {
        int batch();

        float[] params();

        float[] grads();

        int[] rng();

        /** Registers a WORK array of the given length. */
        float[] work(String name, int length);

        List<KernelCall> train();

        List<KernelCall> eval();
    }

    static int size(int[] shape) {
        int s = 1;
        for (int d : shape) {
            s = Math.multiplyExact(s, d);
        }
        return s;
    }
}
