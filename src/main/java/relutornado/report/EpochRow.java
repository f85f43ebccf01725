package relutornado.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One epoch of one fold, a row of folds.csv. Fold 0 is the final model trained on the whole training
 * set (sound protocol); folds 1..k are the cross-validation folds. {@code valLoss} and
 * {@code valAcc} are NaN when the fold has no validation set. {@code extra} carries further
 * columns (timings, profiler counters) in its iteration order; null or NaN values are written as
 * empty cells.
 */
public record EpochRow(int fold, int epoch, double trainLoss, double trainAcc, double valLoss, double valAcc,
                       long deadOutputRows, Map<String, Double> extra) {

    /** The fixed columns of folds.csv, which an extra column may not repeat. */
    static final Set<String> COLUMNS = Set.of("fold", "epoch", "train_loss", "train_acc", "val_loss", "val_acc",
            "dead_output_rows");

    public EpochRow {
        if (fold < 0) {
            throw new IllegalArgumentException("fold must be >= 0 (0 = final model), got " + fold);
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs are numbered from 1, got " + epoch);
        }
        checkRate("train accuracy", trainAcc);
        checkRate("validation accuracy", valAcc);
        if (deadOutputRows < 0) {
            throw new IllegalArgumentException("dead output rows must be >= 0, got " + deadOutputRows);
        }
        if (extra == null) {
            throw new IllegalArgumentException("extra columns must not be null (use an empty map)");
        }
        for (String key : extra.keySet()) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("extra column names must not be null or blank");
            }
            if (COLUMNS.contains(key)) {
                throw new IllegalArgumentException("extra column '" + key + "' repeats a fixed column of folds.csv");
            }
        }
        // keeps the caller's order (Map.copyOf would not) and allows null values
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** This row with {@code columns} put into its extra columns: an existing column keeps its place and takes the new value. */
    public EpochRow withExtra(Map<String, Double> columns) {
        Map<String, Double> merged = new LinkedHashMap<>(extra);
        merged.putAll(columns);
        return new EpochRow(fold, epoch, trainLoss, trainAcc, valLoss, valAcc, deadOutputRows, merged);
    }

    private static void checkRate(String what, double v) {
        if (!Double.isNaN(v) && !(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1] or NaN, got " + v);
        }
    }
}
