package relutornado.cv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Stratified splits by sklearn's rules. {@link #split}: k folds as sklearn's {@code StratifiedKFold};
 * {@link #holdout}: one split as {@code train_test_split(..., stratify=labels)}. Both draw from one
 * {@link Random}(seed) with one Fisher-Yates shuffle; which indices land where differs from sklearn
 * (its RNG is NumPy's), how many of each class does not.
 */
public final class StratifiedKFold {

    /** One split: sorted, disjoint index sets into the labels that were split. */
    public record Fold(int index, int[] train, int[] validation) {
        public Fold {
            if (index < 0) {
                throw new IllegalArgumentException("fold index must be >= 0, got " + index);
            }
            if (train == null || validation == null) {
                throw new IllegalArgumentException("fold " + index + ": train and validation must not be null");
            }
            train = train.clone();
            validation = validation.clone();
            checkAscending(index, "train", train);
            checkAscending(index, "validation", validation);
            checkDisjoint(index, train, validation);
        }

        /** The training indices, ascending (a copy). */
        @Override
        public int[] train() {
            return train.clone();
        }

        /** The validation indices, ascending (a copy). */
        @Override
        public int[] validation() {
            return validation.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fold f && index == f.index && Arrays.equals(train, f.train)
                    && Arrays.equals(validation, f.validation);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * index + Arrays.hashCode(train)) + Arrays.hashCode(validation);
        }

        @Override
        public String toString() {
            return "Fold[index=" + index + ", train=" + train.length + " indices, validation=" + validation.length + " indices]";
        }

        private static void checkAscending(int index, String what, int[] a) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] < 0 || (i > 0 && a[i] <= a[i - 1])) {
                    throw new IllegalArgumentException("fold " + index + ": " + what
                            + " indices must be non-negative and strictly ascending, found " + a[i] + " at position " + i);
                }
            }
        }

        private static void checkDisjoint(int index, int[] a, int[] b) {
            int i = 0, j = 0;
            while (i < a.length && j < b.length) {
                if (a[i] == b[j]) {
                    throw new IllegalArgumentException("fold " + index + ": index " + a[i] + " is in both train and validation");
                }
                if (a[i] < b[j]) {
                    i++;
                } else {
                    j++;
                }
            }
        }
    }

    private final int k;
    private final boolean shuffle;
    private final long seed;

    /**
     * @param k       number of folds, at least 2 (use {@link #holdout} for a single split)
     * @param shuffle shuffle each class's fold numbers; false gives them to its members in index order
     * @param seed    seed of the permutations; ignored when not shuffling
     */
    public StratifiedKFold(int k, boolean shuffle, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("k-fold cross-validation needs k >= 2 folds, got " + k
                    + "; use StratifiedKFold.holdout for a single train/validation split");
        }
        this.k = k;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    public int k() {
        return k;
    }

    /**
     * The k folds of {@code labels} (each in [0, classes)), fold i at position i, by sklearn's rule: the labels,
     * sorted, are dealt round-robin to the folds, which fixes how many members of each class each fold
     * validates on (fold sizes differ by at most one); each class's fold numbers, in fold order (shuffled
     * when {@code shuffle}, classes in label order), go to its members in index order. Refuses when a class
     * that occurs has fewer than k members (sklearn only warns, and leaves some folds without that class).
     */
    public List<Fold> split(int[] labels, int classes) {
        int[] counts = classCounts(labels, classes);
        if (k > labels.length) {
            throw new IllegalArgumentException("cannot split " + labels.length + " samples into k = " + k + " folds");
        }
        checkClassSizes(counts, k);
        int[][] perFold = new int[k][classes];
        int position = 0;
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < counts[c]; j++) {
                perFold[position++ % k][c]++;
            }
        }
        Random rnd = new Random(seed);
        int[][] members = membersByClass(labels, counts);
        int[] foldOf = new int[labels.length];
        for (int c = 0; c < classes; c++) {
            int[] folds = new int[counts[c]];
            int at = 0;
            for (int f = 0; f < k; f++) {
                for (int j = 0; j < perFold[f][c]; j++) {
                    folds[at++] = f;
                }
            }
            if (shuffle) {
                shuffle(folds, rnd);
            }
            for (int j = 0; j < counts[c]; j++) {
                foldOf[members[c][j]] = folds[j];
            }
        }
        List<Fold> result = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            result.add(foldFrom(f, foldOf, f));
        }
        return List.copyOf(result);
    }

    /**
     * One stratified random split with {@code validationRows} validation samples, as sklearn's
     * {@code train_test_split(test_size=validationRows, stratify=labels)}: class c keeps
     * {@link #approximateMode}(counts, n - validationRows)[c] training samples. Each class's members are
     * shuffled (one {@link Random}(seed), classes in label order) and the first of them validate.
     */
    public static Fold holdout(int[] labels, int classes, int validationRows, long seed) {
        int[] counts = classCounts(labels, classes);
        int n = labels.length;
        if (validationRows < 1 || validationRows > n - 1) {
            throw new IllegalArgumentException(validationRows + " validation samples of " + n + "; need between 1 and " + (n - 1));
        }
        int[] train = approximateMode(counts, n - validationRows);
        Random rnd = new Random(seed);
        int[][] members = membersByClass(labels, counts);
        int[] foldOf = new int[n];
        for (int c = 0; c < classes; c++) {
            shuffle(members[c], rnd);
            for (int j = 0; j < counts[c] - train[c]; j++) {
                foldOf[members[c][j]] = 1;
            }
        }
        return foldFrom(0, foldOf, 1);
    }

    /**
     * sklearn's {@code _approximate_mode}: per-class draws summing to {@code draws}, proportional to counts; each
     * floored, the rows still missing to the largest remainders (sklearn breaks ties at random, we by class order).
     */
    static int[] approximateMode(int[] counts, int draws) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        double[] remainder = new double[counts.length];
        int[] floored = new int[counts.length];
        int need = draws;
        Integer[] order = new Integer[counts.length];
        for (int c = 0; c < counts.length; c++) {
            // same operation order as sklearn (counts / total * draws), so the doubles round the same way
            double continuous = (double) counts[c] / total * draws;
            floored[c] = (int) Math.floor(continuous);
            remainder[c] = continuous - floored[c];
            need -= floored[c];
            order[c] = c;
        }
        // a stable sort keeps ties in class order
        Arrays.sort(order, (a, b) -> Double.compare(remainder[b], remainder[a]));
        for (int i = 0; i < need; i++) {
            floored[order[i]]++;
        }
        return floored;
    }

    /** Members per class, validating labels against [0, classes). */
    static int[] classCounts(int[] labels, int classes) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside [0, " + classes + ")");
            }
            counts[labels[i]]++;
        }
        return counts;
    }

    private static void checkClassSizes(int[] counts, int k) {
        StringBuilder small = new StringBuilder();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0 && counts[c] < k) {
                small.append(small.isEmpty() ? "" : ", ").append("class ").append(c).append(" has ").append(counts[c])
                        .append(counts[c] == 1 ? " member" : " members");
            }
        }
        if (!small.isEmpty()) {
            throw new IllegalArgumentException("stratified " + k + "-fold split needs at least " + k
                    + " members in every class present, but " + small + " (class counts " + Arrays.toString(counts) + ")");
        }
    }

    private static int[][] membersByClass(int[] labels, int[] counts) {
        int[][] members = new int[counts.length][];
        for (int c = 0; c < counts.length; c++) {
            members[c] = new int[counts[c]];
        }
        int[] fill = new int[counts.length];
        for (int i = 0; i < labels.length; i++) {
            members[labels[i]][fill[labels[i]]++] = i;
        }
        return members;
    }

    /** Fold {@code index}: validation = indices whose foldOf is {@code validationMark}, train = the rest. */
    private static Fold foldFrom(int index, int[] foldOf, int validationMark) {
        int nVal = 0;
        for (int f : foldOf) {
            nVal += f == validationMark ? 1 : 0;
        }
        int[] train = new int[foldOf.length - nVal];
        int[] validation = new int[nVal];
        int t = 0, v = 0;
        for (int i = 0; i < foldOf.length; i++) {
            if (foldOf[i] == validationMark) {
                validation[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new Fold(index, train, validation);
    }

    /** Fisher-Yates, the same walk as {@link java.util.Collections#shuffle(List, Random)}. */
    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
