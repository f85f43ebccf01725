package relutornado.train;

import java.util.SplittableRandom;
import relutornado.data.Dataset;
import relutornado.engine.Engine;
import relutornado.engine.Program;
import relutornado.model.Network;
import relutornado.model.ParamLayout;

/**
 * The training loop over one engine session: fills the network's INPUT arrays batch by batch, runs
 * a phase, reads the per-row OUTPUT arrays. Adam's step count lives here and carries over between
 * sessions (the paper protocol keeps one optimiser across folds, as Keras' repeated fit() does).
 */
public final class Trainer {

    /**
     * Loss and accuracy over a pass; deadRows counts rows whose ReLU-head outputs were all zero; activity
     * holds the live-unit counts of an evaluation pass (null for a training pass); time says where its seconds went.
     */
    public record Pass(double loss, double accuracy, long deadRows, int[] predicted, double seconds, UnitActivity activity,
                       PassTime time) {
        /** Rows per second of wall time. */
        public double samplesPerSecond() {
            return predicted.length / seconds;
        }
    }

    /**
     * A pass's wall time in nanoseconds and the parts measured inside it: the engine's phase calls (step), copying rows
     * and labels into the INPUT arrays (batch), and the loss guard, metrics and progress (bookkeeping, with the
     * end-of-epoch parameter check of a training pass).
     */
    public record PassTime(long wallNs, long stepNs, long batchNs, long bookkeepingNs) {
    }

    /** Layers name their forward outputs NAME_out (Layers). */
    private static final String ACTIVATION_SUFFIX = "_out";

    private final Network net;
    private final TrainConfig config;
    private SplittableRandom shuffle;
    private int step;
    /** Rows shuffled per epoch so far: replaying these draws restores the shuffle's position (checkpoints). */
    private int[] shuffled = new int[0];
    private int epochs;

    public Trainer(Network net, TrainConfig config) {
        this.net = net;
        this.config = config;
        this.shuffle = new SplittableRandom(config.seed());
        net.rng[0] = (int) config.seed();
    }

    /** Starts a fresh optimiser (new model). */
    public void resetOptimizer() {
        step = 0;
    }

    public int step() {
        return step;
    }

    /** The shuffle's history: the row count of every epoch shuffled so far, in order. */
    public int[] shuffleHistory() {
        return java.util.Arrays.copyOf(shuffled, epochs);
    }

    /**
     * Puts the optimiser step and the shuffle back where a checkpoint left them: SplittableRandom's state
     * cannot be read, so the same draws are replayed from the seed (cheap next to one epoch of training).
     */
    public void restore(int step, int[] shuffleHistory) {
        this.step = step;
        this.shuffle = new SplittableRandom(config.seed());
        this.epochs = 0;
        for (int n : shuffleHistory) {
            shuffle(new int[n]);
        }
    }

    /**
     * One epoch of minibatch training on data[rows] in a fresh random order; loss/accuracy as Keras reports them (running
     * means over the batches, dropout on), shown batch by batch on {@code progress}. Its end-of-epoch parameter check
     * leaves the host copy of STATE current (a checkpoint right after needs no further syncState).
     */
    Pass trainEpoch(Engine.Session session, Dataset data, int[] rows, EpochProgress progress) {
        int[] order = rows.clone();
        shuffle(order);
        return pass(session, data, order, true, progress);
    }

    /** Fisher-Yates with the run's shuffle stream; logged so that a checkpoint can replay it. */
    private void shuffle(int[] order) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        if (epochs == shuffled.length) {
            shuffled = java.util.Arrays.copyOf(shuffled, Math.max(16, 2 * epochs));
        }
        shuffled[epochs++] = order.length;
    }

    /** Forward pass without dropout over data[rows], in order; predictions are returned in that order. */
    public Pass evaluate(Engine.Session session, Dataset data, int[] rows) {
        return pass(session, data, rows, false, EpochProgress.NONE);
    }

    private Pass pass(Engine.Session session, Dataset data, int[] rows, boolean train, EpochProgress progress) {
        if (data.features() != net.spec().inputs()) {
            throw new IllegalArgumentException("data set " + data.name() + " has " + data.features()
                    + " features, the model expects " + net.spec().inputs());
        }
        long t0 = System.nanoTime();
        int N = net.batch();
        int F = data.features();
        double lossSum = 0;
        long correct = 0;
        long dead = 0;
        int[] predicted = new int[rows.length];
        UnitActivity.Accumulator activity = train ? null : new UnitActivity.Accumulator(net);
        // one clock reading between parts, so that the parts tile the pass: batch | step | bookkeeping, per batch
        long stepNs = 0, batchNs = 0, bookkeepingNs = 0;
        long t = System.nanoTime();
        for (int b0 = 0, batch = 1; b0 < rows.length; b0 += N, batch++) {
            int n = Math.min(N, rows.length - b0);
            for (int r = 0; r < n; r++) {
                int row = rows[b0 + r];
                System.arraycopy(data.x(), row * F, net.x, r * F, F);
                net.labels[r] = data.y()[row];
            }
            // padding rows keep stale inputs: the heads ignore rows >= valid, so they add no loss or gradient
            net.valid[0] = n;
            if (train) {
                step++;
                net.rng[1] = step;
                net.adamStep(config.lr(), config.beta1(), config.beta2(), config.epsilon(), step);
            }
            long ts = System.nanoTime();
            batchNs += ts - t;
            session.run(train ? Network.TRAIN : Network.EVAL);
            long tb = System.nanoTime();
            stepNs += tb - ts;
            if (train) {
                checkLoss(session, n, batch);
            }
            for (int r = 0; r < n; r++) {
                lossSum += net.rowLoss[r];
                predicted[b0 + r] = net.rowPred[r];
                if (net.rowPred[r] == net.labels[r]) {
                    correct++;
                }
                dead += net.rowDead[r];
            }
            if (activity != null) {
                activity.add(n);
            }
            progress.batch(lossSum / (b0 + n), (double) correct / (b0 + n));
            t = System.nanoTime();
            bookkeepingNs += t - tb;
        }
        if (train) {
            checkParameters(session, (rows.length + N - 1) / N);
        }
        long end = System.nanoTime();
        bookkeepingNs += end - t;
        return new Pass(lossSum / rows.length, (double) correct / rows.length, dead, predicted, (end - t0) / 1e9,
                activity == null ? null : activity.result(), new PassTime(end - t0, stepNs, batchNs, bookkeepingNs));
    }

    /**
     * The NaN/Inf guard, per batch: the batch's loss (already on the host, an OUTPUT array). When it is not
     * finite, the weights are fetched once to name the first layer that went non-finite.
     */
    private void checkLoss(Engine.Session session, int n, int batch) {
        double loss = 0;
        for (int r = 0; r < n; r++) {
            loss += net.rowLoss[r];
        }
        if (!Double.isFinite(loss)) {
            session.syncState();
            String layer = firstNonFinite();
            if (layer == null) {
                layer = firstNonFiniteActivation();
            }
            throw NonFiniteException.of(batch, "the batch loss is " + loss + "; "
                    + (layer == null ? "every parameter is finite (the forward pass overflowed on the device)" : "first non-finite layer " + layer));
        }
    }

    /**
     * The NaN/Inf guard at the end of an epoch: the parameters and Adam moments. A device engine copies its
     * STATE arrays back for this once per epoch, never per batch.
     */
    private void checkParameters(Engine.Session session, int lastBatch) {
        session.syncState();
        String layer = firstNonFinite();
        if (layer != null) {
            throw NonFiniteException.of(lastBatch, "end of epoch: first non-finite layer " + layer);
        }
    }

    /**
     * "dense2 (activations)": the first layer, in forward order, whose output holds a NaN or Inf, or null. The JVM
     * engines leave the activations on the host; a device engine keeps them on the device (the host copies stay
     * finite), so there this finds nothing and the message says the forward pass overflowed.
     */
    String firstNonFiniteActivation() {
        for (Program.Buffer b : net.program().buffers()) {
            boolean activation = b.name().endsWith(ACTIVATION_SUFFIX) && !b.name().startsWith("d_"); // d_X_out: a gradient
            if (b.role() == Program.Role.WORK && activation && b.array() instanceof float[] a) {
                for (float x : a) {
                    if (!Float.isFinite(x)) {
                        return b.name().substring(0, b.name().length() - ACTIVATION_SUFFIX.length()) + " (activations)";
                    }
                }
            }
        }
        return null;
    }

    /** "dense1.W (weights)", "conv0.b (Adam v)": the first tensor in layout order with a NaN or Inf, or null. */
    String firstNonFinite() {
        for (ParamLayout.Tensor t : net.layout().tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                String where = !Float.isFinite(net.params[i]) ? "weights" : !Float.isFinite(net.m[i]) ? "Adam m"
                        : !Float.isFinite(net.v[i]) ? "Adam v" : null;
                if (where != null) {
                    return t.name() + " (" + where + ")";
                }
            }
        }
        return null;
    }
}
