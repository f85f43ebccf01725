package relutornado.model;

import static relutornado.engine.Program.Role.INPUT;
import static relutornado.engine.Program.Role.OUTPUT;
import static relutornado.engine.Program.Role.STATE;
import static relutornado.engine.Program.Role.WORK;

import java.util.ArrayList;
import java.util.List;
import relutornado.engine.KernelCall;
import relutornado.engine.Program;
import relutornado.kernels.Activation;
import relutornado.kernels.Adam;
import relutornado.kernels.Dense;
import relutornado.kernels.Dropout;
import relutornado.kernels.Loss;

/**
 * A model compiled to a {@link Program} for a fixed (padded) batch size N: its arrays and two phases.
 * <pre>
 *  "train" (one batch: forward, backward, Adam)            "eval" (forward, no dropout)
 *   x ─Dense─► pre0 ─ReLU─► act0 ─Dropout─► drop0 ─┐         x ─Dense─► pre0 ─ReLU─► act0 ─Dense─► …
 *   … ─Dense─► logits ─head─► rowLoss, rowPred, rowDead      … ─Dense─► logits ─head─► rowLoss, rowPred, rowDead
 *   dLogits ◄─head'  ─Dense'─► grads[W,b], dDrop(L-1)
 *   … ─Dropout'─► dAct ─ReLU'─► dPre ─Dense'─► grads, dDrop(l-1)
 *   Adam(params, m, v, grads, hyper)
 *
 *  STATE  (resident on a device): params, m, v
 *  INPUT  (every batch):          x, labels, batch {valid rows}, rng {seed, step}, hyper {lrT, β1, β2, ε}
 *  OUTPUT (every batch):          rowLoss, rowPred, rowDead
 *  WORK   (device only):          activations, their gradients, grads
 * </pre>
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

    public Network(ModelSpec spec, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        this.spec = spec;
        this.batch = batch;
        int[] w = spec.widths();
        int layers = w.length - 1;
        int[] wOff = new int[layers];
        int[] bOff = new int[layers];
        for (int l = 0; l < layers; l++) {
            wOff[l] = layout.weights("dense" + l + ".W", w[l], w[l + 1]);
            bOff[l] = layout.bias("dense" + l + ".b", w[l + 1]);
        }
        int P = layout.size();
        int N = batch;
        int K = spec.classes();
        boolean dropout = spec.dropout() > 0;

        program = new Program(spec.name() + "-" + spec.head().flag());
        params = program.buffer("params", new float[P], STATE);
        m = program.buffer("adam_m", new float[P], STATE);
        v = program.buffer("adam_v", new float[P], STATE);
        grads = program.buffer("grads", new float[P], WORK);
        x = program.buffer("x", new float[N * w[0]], INPUT);
        labels = program.buffer("labels", new int[N], INPUT);
        program.buffer("valid", valid, INPUT);
        program.buffer("rng", rng, INPUT);
        program.buffer("hyper", hyper, INPUT);
        rowLoss = program.buffer("row_loss", new float[N], OUTPUT);
        rowPred = program.buffer("row_pred", new int[N], OUTPUT);
        rowDead = program.buffer("row_dead", new int[N], OUTPUT);

        int hiddenLayers = layers - 1;
        float[][] pre = new float[hiddenLayers][], act = new float[hiddenLayers][], drop = new float[hiddenLayers][];
        float[][] mask = new float[hiddenLayers][], dPre = new float[hiddenLayers][], dAct = new float[hiddenLayers][];
        float[][] dDrop = new float[hiddenLayers][];
        for (int l = 0; l < hiddenLayers; l++) {
            int E = N * w[l + 1];
            pre[l] = program.buffer("pre" + l, new float[E], WORK);
            act[l] = program.buffer("act" + l, new float[E], WORK);
            dPre[l] = program.buffer("d_pre" + l, new float[E], WORK);
            dDrop[l] = program.buffer("d_out" + l, new float[E], WORK);
            if (dropout) {
                drop[l] = program.buffer("drop" + l, new float[E], WORK);
                mask[l] = program.buffer("mask" + l, new float[E], WORK);
                dAct[l] = program.buffer("d_act" + l, new float[E], WORK);
            }
        }
        float[] logits = program.buffer("logits", new float[N * K], WORK);
        float[] dLogits = program.buffer("d_logits", new float[N * K], WORK);

        // Forward, shared by both phases except for dropout.
        List<KernelCall> train = new ArrayList<>();
        List<KernelCall> eval = new ArrayList<>();
        float[] inTrain = x;
        float[] inEval = x;
        for (int l = 0; l < hiddenLayers; l++) {
            int C = w[l], H = w[l + 1];
            train.add(KernelCall.of("dense" + l + "_fwd", Dense.class, "forward", pre[l], inTrain, params, wOff[l], bOff[l], C, H, 0, N));
            eval.add(KernelCall.of("dense" + l + "_fwd", Dense.class, "forward", pre[l], inEval, params, wOff[l], bOff[l], C, H, 0, N));
            KernelCall relu = KernelCall.of("relu" + l + "_fwd", Activation.class, "reluForward", act[l], pre[l], 0, N * H);
            train.add(relu);
            eval.add(relu);
            if (dropout) {
                train.add(KernelCall.of("dropout" + l + "_fwd", Dropout.class, "forward", drop[l], mask[l], act[l], rng, l,
                        spec.dropout(), 0, N * H));
                inTrain = drop[l];
            } else {
                inTrain = act[l];
            }
            inEval = act[l];
        }
        int last = layers - 1;
        int C = w[last];
        train.add(KernelCall.of("dense" + last + "_fwd", Dense.class, "forward", logits, inTrain, params, wOff[last], bOff[last], C, K, 0, N));
        eval.add(KernelCall.of("dense" + last + "_fwd", Dense.class, "forward", logits, inEval, params, wOff[last], bOff[last], C, K, 0, N));
        KernelCall headForward = spec.head() == Head.SOFTMAX
                ? KernelCall.of("softmax_fwd", Loss.class, "softmaxForward", rowLoss, rowPred, logits, labels, valid, K, 0, N)
                : KernelCall.of("relu_head_fwd", Loss.class, "reluHeadForward", rowLoss, rowPred, rowDead, logits, labels, valid, K, 0, N);
        train.add(headForward);
        eval.add(headForward);

        // Backward.
        train.add(spec.head() == Head.SOFTMAX
                ? KernelCall.of("softmax_bwd", Loss.class, "softmaxBackward", dLogits, logits, labels, valid, K, 0, N)
                : KernelCall.of("relu_head_bwd", Loss.class, "reluHeadBackward", dLogits, logits, labels, valid, K, 0, N));
        float[] upstream = dLogits;
        for (int l = last; l >= 0; l--) {
            int in = w[l], out = w[l + 1];
            float[] layerInput = l == 0 ? x : (dropout ? drop[l - 1] : act[l - 1]);
            train.add(KernelCall.of("dense" + l + "_bwd_w", Dense.class, "backwardWeights", grads, upstream, layerInput, wOff[l], N, in, out, 0, in));
            train.add(KernelCall.of("dense" + l + "_bwd_b", Dense.class, "backwardBias", grads, upstream, bOff[l], N, out, 0, out));
            if (l > 0) {
                int h = l - 1;
                train.add(KernelCall.of("dense" + l + "_bwd_in", Dense.class, "backwardInput", dDrop[h], upstream, params, wOff[l], in, out, 0, N));
                float[] dReluOut = dDrop[h];
                if (dropout) {
                    train.add(KernelCall.of("dropout" + h + "_bwd", Dropout.class, "backward", dAct[h], dDrop[h], mask[h], 0, N * in));
                    dReluOut = dAct[h];
                }
                train.add(KernelCall.of("relu" + h + "_bwd", Activation.class, "reluBackward", dPre[h], dReluOut, pre[h], 0, N * in));
                upstream = dPre[h];
            }
        }
        train.add(KernelCall.of("adam", Adam.class, "update", params, m, v, grads, hyper, 0, P));

        program.phase(TRAIN, train);
        program.phase(EVAL, eval);
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
