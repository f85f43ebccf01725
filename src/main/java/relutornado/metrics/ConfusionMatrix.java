package relutornado.metrics;

import java.util.Arrays;

/**
 * Confusion matrix of a classifier over {@code classes} classes: {@code counts[t][p]} is the number
 * of samples whose true class is t and whose predicted class is p (rows true, columns predicted, as
 * sklearn's {@code confusion_matrix(y_true, y_pred, labels=range(classes))}). Immutable.
 */
public final class ConfusionMatrix {
    private final int[][] counts;
    private final int total;

    /**
     * @param labels    true class of each sample, each in [0, classes)
     * @param predicted predicted class of each sample, each in [0, classes), same length as labels
     * @param classes   number of classes, at least 1
     */
    public ConfusionMatrix(int[] labels, int[] predicted, int classes) {
        if (labels == null || predicted == null) {
            throw new IllegalArgumentException("labels and predicted must not be null");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException("labels and predicted differ in length: " + labels.length + " vs "
                    + predicted.length);
        }
        if (labels.length == 0) {
            // accuracy and every rate would be 0/0
            throw new IllegalArgumentException("labels must not be empty");
        }
        this.counts = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            checkClass("labels", i, labels[i], classes);
            checkClass("predicted", i, predicted[i], classes);
            counts[labels[i]][predicted[i]]++;
        }
        this.total = labels.length;
    }

    private static void checkClass(String what, int index, int value, int classes) {
        if (value < 0 || value >= classes) {
            throw new IllegalArgumentException(what + "[" + index + "] = " + value + " is outside [0, " + classes + ")");
        }
    }

    /** Number of classes (rows and columns). */
    public int classes() {
        return counts.length;
    }

    /** Number of samples. */
    public int total() {
        return total;
    }

    /** Samples of true class {@code trueClass} predicted as {@code predictedClass}. */
    public int get(int trueClass, int predictedClass) {
        checkIndex("trueClass", trueClass);
        checkIndex("predictedClass", predictedClass);
        return counts[trueClass][predictedClass];
    }

    /** Samples whose true class is {@code trueClass} (the row sum; sklearn's "support"). */
    public int support(int trueClass) {
        checkIndex("trueClass", trueClass);
        int s = 0;
        for (int p = 0; p < counts.length; p++) {
            s += counts[trueClass][p];
        }
        return s;
    }

    /** Samples predicted as {@code predictedClass} (the column sum). */
    public int predictedCount(int predictedClass) {
        checkIndex("predictedClass", predictedClass);
        int s = 0;
        for (int[] row : counts) {
            s += row[predictedClass];
        }
        return s;
    }

    /** Fraction of samples on the diagonal (sklearn's {@code accuracy_score}). */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return (double) correct / total;
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            copy[t] = counts[t].clone();
        }
        return copy;
    }

    private void checkIndex(String what, int c) {
        if (c < 0 || c >= counts.length) {
            throw new IndexOutOfBoundsException(what + " " + c + " is outside [0, " + counts.length + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix other && Arrays.deepEquals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(counts);
    }
}
