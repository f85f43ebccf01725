package relutornado.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Named tensors in the parameter slab (one float[] each for weights, gradients, Adam m and v, as
 * llm.c does), with their offsets computed in one place.
 */
public final class ParamLayout {

    /**
     * A tensor of the slab; a bias has rows = 1. fanIn/fanOut drive Glorot initialisation: (rows, cols)
     * for a dense (C, OC) matrix; for a convolution (OC, C, KH, KW), stored as rows = OC,
     * cols = C·KH·KW, Keras takes fanIn = C·KH·KW and fanOut = OC·KH·KW.
     */
    public record Tensor(String name, int offset, int rows, int cols, boolean bias, int fanIn, int fanOut) {
        public int size() {
            return rows * cols;
        }
    }

    private final List<Tensor> tensors = new ArrayList<>();
    private int size;

    /** Appends a dense weight matrix (rows, cols), Glorot fans (rows, cols), and returns its offset. */
    public int weights(String name, int rows, int cols) {
        return weights(name, rows, cols, rows, cols);
    }

    /** Appends a weight tensor of rows × cols floats with explicit Glorot fans (convolutions) and returns its offset. */
    public int weights(String name, int rows, int cols, int fanIn, int fanOut) {
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException("tensor " + name + " has fans " + fanIn + ", " + fanOut);
        }
        return add(new Tensor(name, size, rows, cols, false, fanIn, fanOut));
    }

    /** Appends a bias vector and returns its offset. */
    public int bias(String name, int n) {
        return add(new Tensor(name, size, 1, n, true, 1, n));
    }

    private int add(Tensor t) {
        if (t.rows() < 1 || t.cols() < 1) {
            throw new IllegalArgumentException("tensor " + t.name() + " has shape " + t.rows() + "x" + t.cols());
        }
        tensors.add(t);
        size = Math.addExact(size, t.size());
        return t.offset();
    }

    public List<Tensor> tensors() {
        return List.copyOf(tensors);
    }

    /** Total parameters. */
    public int size() {
        return size;
    }

    /**
     * Glorot-uniform weights (Keras' default kernel initializer: U(-l, l), l = sqrt(6 / (fanIn + fanOut)))
     * and zero biases (Keras' default bias initializer), drawn in layout order from one seeded stream.
     */
    public void initialise(float[] params, long seed) {
        if (params.length != size) {
            throw new IllegalArgumentException("parameter slab has " + params.length + " floats, layout needs " + size);
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (Tensor t : tensors) {
            if (t.bias()) {
                java.util.Arrays.fill(params, t.offset(), t.offset() + t.size(), 0f);
            } else {
                double limit = Math.sqrt(6.0 / ((double) t.fanIn() + t.fanOut()));
                for (int i = 0; i < t.size(); i++) {
                    params[t.offset() + i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
                }
            }
        }
    }
}
