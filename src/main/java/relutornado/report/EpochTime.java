package relutornado.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one epoch's wall time went, in seconds: the engine's training step calls, batch assembly (the shuffled rows and
 * labels copied into the network's INPUT arrays), the evaluation pass (validation rows), bookkeeping (the NaN guard,
 * loss and metrics, progress, folds.csv), checkpointing, and {@code other}, the rest of the wall time. The parts are
 * disjoint intervals inside the epoch, so they sum to {@code wall}. {@code stepSamplesPerSecond} is the training rows
 * over the step time alone: the throughput the epoch would have if nothing but the steps ran.
 */
public record EpochTime(double wall, double step, double batch, double eval, double bookkeeping, double checkpoint,
                        double other, double stepSamplesPerSecond) {

    /** The folds.csv columns, in this order. */
    static final String WALL = "epoch_wall_seconds", STEP = "step_seconds", BATCH = "batch_seconds", EVAL = "eval_seconds",
            BOOKKEEPING = "bookkeeping_seconds", CHECKPOINT = "checkpoint_seconds", OTHER = "other_seconds",
            STEP_RATE = "step_samples_per_s";

    public EpochTime {
        double[] parts = {wall, step, batch, eval, bookkeeping, checkpoint, other};
        for (double p : parts) {
            if (!(p >= 0)) {
                throw new IllegalArgumentException("epoch time parts must be >= 0 seconds, got " + p);
            }
        }
    }

    /**
     * From nanosecond totals measured inside one epoch of {@code wallNs}; other is what they leave of it. The parts are
     * disjoint intervals of the same clock, so they cannot exceed the wall time.
     */
    public static EpochTime of(long wallNs, long stepNs, long batchNs, long evalNs, long bookkeepingNs, long checkpointNs, int rows) {
        long other = wallNs - stepNs - batchNs - evalNs - bookkeepingNs - checkpointNs;
        if (other < 0) {
            throw new IllegalStateException("the parts of an epoch (" + (wallNs - other) + " ns) exceed its wall time (" + wallNs + " ns)");
        }
        return new EpochTime(wallNs / 1e9, stepNs / 1e9, batchNs / 1e9, evalNs / 1e9, bookkeepingNs / 1e9, checkpointNs / 1e9,
                other / 1e9, stepNs == 0 ? Double.NaN : rows / (stepNs / 1e9));
    }

    /** The steps' share of the epoch's wall time. */
    public double stepShare() {
        return step / wall;
    }

    /** As folds.csv columns (an EpochRow's extra). */
    public Map<String, Double> columns() {
        Map<String, Double> c = new LinkedHashMap<>();
        c.put(WALL, wall);
        c.put(STEP, step);
        c.put(BATCH, batch);
        c.put(EVAL, eval);
        c.put(BOOKKEEPING, bookkeeping);
        c.put(CHECKPOINT, checkpoint);
        c.put(OTHER, other);
        c.put(STEP_RATE, stepSamplesPerSecond);
        return c;
    }

    /** The breakdown a folds.csv row carries, or null for a row without it (a run from before it was recorded). */
    public static EpochTime of(EpochRow row) {
        Map<String, Double> x = row.extra();
        if (!x.containsKey(WALL)) {
            return null;
        }
        return new EpochTime(x.get(WALL), x.get(STEP), x.get(BATCH), x.get(EVAL), x.get(BOOKKEEPING), x.get(CHECKPOINT),
                x.get(OTHER), x.get(STEP_RATE));
    }
}
