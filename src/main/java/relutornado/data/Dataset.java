package relutornado.data;

import java.util.List;

/**
 * A labelled data set held in memory.
 *
 * @param name       for messages and reports, e.g. "mnist-train"
 * @param x          features, row-major: x[r * features + f], shape (rows, features)
 * @param y          labels, y[r] in [0, classes)
 * @param rows       number of examples
 * @param features   values per example
 * @param classNames one name per class; label k is classNames.get(k)
 */
public record Dataset(String name, float[] x, int[] y, int rows, int features, List<String> classNames) {

    public Dataset {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("dataset name must not be empty");
        }
        if (x == null || y == null) {
            throw new IllegalArgumentException("dataset '" + name + "': x and y must not be null");
        }
        if (rows < 0 || features < 1) {
            throw new IllegalArgumentException("dataset '" + name + "': needs rows >= 0 and features >= 1, got rows "
                    + rows + ", features " + features);
        }
        if ((long) rows * features != x.length) {
            throw new IllegalArgumentException("dataset '" + name + "': x has " + x.length + " values, expected rows x features = "
                    + rows + " x " + features + " = " + (long) rows * features);
        }
        if (y.length != rows) {
            throw new IllegalArgumentException("dataset '" + name + "': y has " + y.length + " labels, expected one per row (" + rows + ")");
        }
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "': needs at least one class name");
        }
        classNames = List.copyOf(classNames);
        int classes = classNames.size();
        for (int r = 0; r < rows; r++) {
            if (y[r] < 0 || y[r] >= classes) {
                throw new IllegalArgumentException("dataset '" + name + "': label " + y[r] + " at row " + r
                        + " is outside 0.." + (classes - 1) + " (" + classes + " classes)");
            }
        }
    }

    public int classes() {
        return classNames.size();
    }

    /** Examples per class: counts[k] = number of rows with label k. */
    public int[] classCounts() {
        int[] counts = new int[classes()];
        for (int label : y) {
            counts[label]++;
        }
        return counts;
    }

    /** A copy of the given rows, in the given order (repeats allowed); name and class names kept. */
    public Dataset subset(int[] indices) {
        float[] sx = new float[Math.multiplyExact(indices.length, features)];
        int[] sy = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int r = indices[i];
            if (r < 0 || r >= rows) {
                throw new IndexOutOfBoundsException("dataset '" + name + "': subset index " + r + " at position " + i
                        + " is outside 0.." + (rows - 1));
            }
            System.arraycopy(x, r * features, sx, i * features, features);
            sy[i] = y[r];
        }
        return new Dataset(name, sx, sy, indices.length, features, classNames);
    }

    /** The same labels (shared) with new features, e.g. after scaling or PCA; newX must be rows x newFeatures. */
    public Dataset withX(float[] newX, int newFeatures) {
        return new Dataset(name, newX, y, rows, newFeatures, classNames);
    }

    /** The same data under another name (e.g. "wdbc-train"); the arrays are shared, not copied. */
    public Dataset withName(String newName) {
        return new Dataset(newName, x, y, rows, features, classNames);
    }

    /** A summary, not the arrays: "mnist-train: 55000 x 784, 10 classes". */
    @Override
    public String toString() {
        return name + ": " + rows + " x " + features + ", " + classes() + " classes";
    }
}
