package relutornado.model;

import static relutornado.engine.Program.Role.INPUT;
import static relutornado.engine.Program.Role.OUTPUT;
import static relutornado.engine.Program.Role.STATE;
import static relutornado.engine.Program.Role.WORK;

import java.util.ArrayList;
import java.util.List;
import relutornado.engine.KernelCall;
import relutornado.engine.Program;
import relutornado.kernels.Activity;
import relutornado.kernels.Adam;
import relutornado.kernels.Loss;

/**
 * A model compiled to a {@link Program} for a fixed (padded) batch size N: its arrays and two phases.
 * <pre>
 *  "train" (one batch: forward, backward, Adam)              "eval" (forward, dropout off)
 *   x ─layer 0─► … ─layer L-1─► logits ─head─► rowLoss,        x ─layer 0─► … ─► logits ─head─► rowLoss,
 *                                             rowPred, rowDead                                rowPred, rowDead
 *   dLogits ◄─head'   then each layer's backward in reverse:
 *   dOut(L-1) ─layer L-1'─► grads[its W, b], dOut(L-2) ─ … ─layer 0'─► grads
 *   Adam(params, m, v, grads, hyper)
 *
 *  STATE  (resident on a device): params, m, v
 *  INPUT  (every batch):          x, labels, valid {rows}, rng {seed, step}, hyper {lrT, β1, β2, ε}
 *  OUTPUT (every batch):          rowLoss, rowPred, rowDead; in "eval" also the live-unit counts of every
 *                                 hidden ReLU layer and of the ReLU head (see {@link Probe})
 *  WORK   (device only):          activations, their gradients, grads
 * </pre>
 * Layer i is named kind + i ("dense0", "relu1", "dropout2", "conv0", "pool4", ...); task names are the
 * layer's name plus _fwd, _bwd, _bwd_w, _bwd_b, _bwd_in. Activations are NCHW per row for images, so a
 * flatten layer is a shape change only: no call, no array of its own, forward or backward.
 */
public final class Network {
    public static final String TRAIN = "train";
    public static final String EVAL = "eval";

    private final ModelSpec spec;
    private final int batch;
    private final ParamLayout layout = new ParamLayout();
    private final Program program;

    public final float[] params;
    public final float[] m;
    public final float[] v;
    /** dL/dθ of the last training batch (WORK: only meaningful on the host after a JVM engine's step). */
    public final float[] grads;
    public final float[] x;
    public final int[] labels;
    /** {valid rows of the current batch}. */
    public final int[] valid = new int[1];
    /** {seed, step} of the dropout hash. */
    public final int[] rng = new int[2];
    /** {lrT, β1, β2, ε} for Adam. */
    public final float[] hyper = new float[4];
    public final float[] rowLoss;
    public final int[] rowPred;
    public final int[] rowDead;
    /** The hidden ReLU layers' live-unit counts, in layer order (written by "eval"). */
    public final List<Probe> hiddenProbes;
    /** The ReLU head's live-class counts (output max(0, o) &gt; 0), written by "eval"; null for softmax. */
    public final Probe headProbe;

    /**
     * Live-unit counts of one activation in the "eval" phase (kernel {@link Activity#countActive}): per unit
     * (a dense feature, a convolution channel or a class), how many (valid row, position) entries are &gt; 0 in
     * the last batch. Only these counts leave the device, never the activations.
     *
     * @param layer     the layer's name ("relu1") or "head"
     * @param units     C: units counted
     * @param positions S: entries per unit and row (1, or H·W of a channel)
     */
    public record Probe(String layer, int units, int positions, int[] active) {
    }

    public Network(ModelSpec spec, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        this.spec = spec;
        this.batch = batch;
        List<LayerSpec> layers = spec.layers();
        int L = layers.size();
        String[] names = new String[L];
        int[][] inShapes = new int[L][];
        int[][] offsets = new int[L][];
        int[] shape = spec.inputShape();
        for (int i = 0; i < L; i++) {
            names[i] = layers.get(i).kind() + i;
            inShapes[i] = shape;
            offsets[i] = layers.get(i).addParameters(layout, names[i], shape);
            shape = layers.get(i).outputShape(shape);
        }
        int P = layout.size();
        int N = batch;
        int K = spec.classes();

        program = new Program(spec.name() + "-" + spec.head());
        params = program.buffer("params", new float[P], STATE);
        m = program.buffer("adam_m", new float[P], STATE);
        v = program.buffer("adam_v", new float[P], STATE);
        grads = program.buffer("grads", new float[P], WORK);
        x = program.buffer("x", new float[N * spec.inputs()], INPUT);
        labels = program.buffer("labels", new int[N], INPUT);
        program.buffer("valid", valid, INPUT);
        program.buffer("rng", rng, INPUT);
        program.buffer("hyper", hyper, INPUT);
        rowLoss = program.buffer("row_loss", new float[N], OUTPUT);
        rowPred = program.buffer("row_pred", new int[N], OUTPUT);
        rowDead = program.buffer("row_dead", new int[N], OUTPUT);

        List<KernelCall> train = new ArrayList<>();
        List<KernelCall> eval = new ArrayList<>();
        LayerSpec.Builder builder = new LayerSpec.Builder(program, N, params, grads, rng, train, eval);
        LayerSpec.Activations act = new LayerSpec.Activations(x, x);
        LayerSpec.Backward[] backward = new LayerSpec.Backward[L];
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < L; i++) {
            LayerSpec.Compiled c = layers.get(i).compile(builder, i, names[i], inShapes[i], act, offsets[i]);
            act = c.out();
            backward[i] = c.backward();
            if (layers.get(i).kind().equals("relu")) {
                // dying-ReLU analysis: a dense feature or a convolution channel is one unit
                int[] sh = inShapes[i];
                int units = sh.length == 3 ? sh[0] : LayerSpec.size(sh);
                probes.add(probe(eval, names[i], act.eval(), units, LayerSpec.size(sh) / units));
            }
        }
        hiddenProbes = List.copyOf(probes);
        headProbe = spec.head() == Head.RELU ? probe(eval, "head", act.eval(), K, 1) : null;
        float[] logits = act.train();
        float[] dLogits = builder.work("d_logits", N * K);
        if (spec.head() == Head.SOFTMAX) {
            builder.forward(act, in -> KernelCall.of("softmax_fwd", Loss.class, "softmaxForward", rowLoss, rowPred, in, labels, valid,
                    K, 0, N));
            train.add(KernelCall.of("softmax_bwd", Loss.class, "softmaxBackward", dLogits, logits, labels, valid, K, 0, N));
        } else {
            builder.forward(act, in -> KernelCall.of("relu_head_fwd", Loss.class, "reluHeadForward", rowLoss, rowPred, rowDead, in,
                    labels, valid, K, 0, N));
            train.add(KernelCall.of("relu_head_bwd", Loss.class, "reluHeadBackward", dLogits, logits, labels, valid, K, 0, N));
        }
        float[] dOut = dLogits;
        for (int i = L - 1; i >= 0; i--) {
            if (layers.get(i).reshapeOnly()) {
                continue; // flatten: the gradient of its output is the gradient of its input, same array
            }
            // nobody needs the gradient of the network's input (or of a flatten right after it)
            boolean first = layers.subList(0, i).stream().allMatch(LayerSpec::reshapeOnly);
            float[] dIn = first ? null : builder.work("d_" + names[i - 1] + "_out", N * LayerSpec.size(inShapes[i]));
            backward[i].emit(train, dOut, dIn);
            dOut = dIn;
        }
        train.add(KernelCall.of("adam", Adam.class, "update", params, m, v, grads, hyper, 0, P));

        program.phase(TRAIN, train);
        program.phase(EVAL, eval);
    }

    /** Registers the counts of one activation and appends its counting call to the eval phase. */
    private Probe probe(List<KernelCall> eval, String layer, float[] activation, int units, int positions) {
        int[] active = program.buffer(layer + "_active", new int[units], OUTPUT);
        eval.add(KernelCall.of(layer + "_count", Activity.class, "countActive", active, activation, valid, units, positions, 0, units));
        return new Probe(layer, units, positions, active);
    }

    public ModelSpec spec() {
        return spec;
    }

    public int batch() {
        return batch;
    }

    public ParamLayout layout() {
        return layout;
    }

    public Program program() {
        return program;
    }

    public int parameterCount() {
        return layout.size();
    }

    /**
     * Sets Adam's per-step inputs for step t (1-based): the bias corrections folded into the step size,
     * lrT = lr·sqrt(1 - β2^t) / (1 - β1^t), as Keras and TensorFlow compute it.
     */
    public void adamStep(double lr, double beta1, double beta2, double epsilon, int t) {
        hyper[0] = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        hyper[1] = (float) beta1;
        hyper[2] = (float) beta2;
        hyper[3] = (float) epsilon;
    }

    /** Fresh model: Glorot weights, zero biases, zero Adam moments. */
    public void initialise(long seed) {
        layout.initialise(params, seed);
        java.util.Arrays.fill(m, 0f);
        java.util.Arrays.fill(v, 0f);
    }
}
