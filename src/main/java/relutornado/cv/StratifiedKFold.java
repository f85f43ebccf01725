package relutornado.cv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Stratified k-fold cross-validation in the manner of sklearn's {@code StratifiedKFold}: each class's
 * sample indices (in index order, or shuffled when {@code shuffle}) are dealt in contiguous blocks to
 * folds 0..k-1, so that
 * <ul>
 *   <li>every index is in exactly one validation fold, and a fold's train set is the complement;</li>
 *   <li>fold f holds floor(n_c/k) or ceil(n_c/k) members of class c;</li>
 *   <li>fold sizes differ by at most one (the first n mod k folds are the larger);</li>
 *   <li>and, beyond sklearn, |count(f, c) - n_c |f| / n| &lt;= 1 for every fold and class: a fold's
 *       class mix is within one sample of the whole set's.</li>
 * </ul>
 * sklearn deals the class-sorted samples round-robin over the folds, which meets the first three but
 * not always the last (k = 7, class counts 8, 27, 8 puts 3 of class 1 in the 7-sample fold 0, whose
 * share is 27 * 7/43 = 4.4); {@link #allocate} chooses which folds get each class's extra sample so
 * that all four hold. Which indices land where differs from sklearn (its RNG is NumPy's), so folds
 * are comparable in distribution only.
 * <p>
 * When {@code shuffle}, class c's indices are permuted by their own {@link Random} seeded from
 * (seed, c), so one class's split does not depend on the other classes' sizes.
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
     * @param shuffle permute each class's indices before dealing them; false keeps index order
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
     * The k folds of {@code labels} (each in [0, classes)), fold i at position i. Refuses when a class
     * that occurs has fewer than k members (sklearn only warns, and then leaves some folds without
     * that class); classes that do not occur at all are fine.
     */
    public List<Fold> split(int[] labels, int classes) {
        int[] counts = classCounts(labels, classes);
        if (k > labels.length) {
            throw new IllegalArgumentException("cannot split " + labels.length + " samples into k = " + k + " folds");
        }
        checkClassSizes(counts, k);
        int[][] members = membersByClass(labels, counts);
        if (shuffle) {
            for (int c = 0; c < classes; c++) {
                shuffle(members[c], classRandom(seed, c));
            }
        }
        int[][] alloc = allocate(counts, k);
        int[] foldOf = new int[labels.length];
        for (int c = 0; c < classes; c++) {
            int next = 0;
            // contiguous blocks, as sklearn: fold 0 takes the class's first alloc[0][c] members, and so on
            for (int f = 0; f < k; f++) {
                for (int j = 0; j < alloc[f][c]; j++) {
                    foldOf[members[c][next++]] = f;
                }
            }
        }
        List<Fold> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            folds.add(foldFrom(f, foldOf, f));
        }
        return List.copyOf(folds);
    }

    /**
     * One stratified random train/validation split (what {@code --folds 1} uses): as sklearn's
     * {@code train_test_split(..., test_size=validationFraction, stratify=labels)}, the validation
     * set has ceil(validationFraction * n) samples, and class c contributes floor or ceil of its
     * proportional share n_c * |validation| / n (largest remainders first, ties in a seeded random
     * class order). Each class's validation members are a random subset.
     *
     * @param validationFraction in (0, 1); a fraction whose product with n is within 1e-9 n of an
     *                           integer counts as that integer (so 1 - m/n gives exactly m train rows
     *                           despite rounding)
     */
    public static Fold holdout(int[] labels, int classes, double validationFraction, long seed) {
        int[] counts = classCounts(labels, classes);
        int n = labels.length;
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        int nVal = validationSize(n, validationFraction);
        if (nVal < 1 || nVal > n - 1) {
            throw new IllegalArgumentException("validation fraction " + validationFraction + " of " + n
                    + " samples gives " + nVal + " validation samples; need between 1 and " + (n - 1));
        }
        int[] perClass = proportionalShares(counts, nVal, new Random(mix(seed)));
        int[][] members = membersByClass(labels, counts);
        int[] foldOf = new int[n];
        for (int c = 0; c < classes; c++) {
            shuffle(members[c], classRandom(seed, c));
            for (int j = 0; j < perClass[c]; j++) {
                foldOf[members[c][j]] = 1;
            }
        }
        return foldFrom(0, foldOf, 1);
    }

    /** ceil(fraction * n) as train_test_split, snapped to the nearest integer when within 1e-9 n of it. */
    static int validationSize(int n, double fraction) {
        double exact = fraction * n;
        double nearest = Math.rint(exact);
        return (int) (Math.abs(exact - nearest) <= 1e-9 * n ? nearest : Math.ceil(exact));
    }

    /**
     * Largest-remainder apportionment of {@code total} over classes in proportion to counts: each
     * share is floor or ceil of counts[c] * total / n (Hamilton's method; sklearn's
     * {@code _approximate_mode} does the same, also breaking ties at random).
     */
    static int[] proportionalShares(int[] counts, int total, Random tieBreak) {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        int classes = counts.length;
        int[] share = new int[classes];
        long[] remainder = new long[classes];
        int left = total;
        for (int c = 0; c < classes; c++) {
            long scaled = Math.multiplyExact((long) counts[c], total);
            share[c] = (int) (scaled / n);
            remainder[c] = scaled % n;
            left -= share[c];
        }
        Integer[] order = new Integer[classes];
        int[] perm = permutation(classes, tieBreak);
        for (int c = 0; c < classes; c++) {
            order[c] = perm[c];
        }
        // stable sort: equal remainders keep the random order
        Arrays.sort(order, (a, b) -> Long.compare(remainder[b], remainder[a]));
        for (int i = 0; i < left; i++) {
            share[order[i]]++;
        }
        return share;
    }

    /**
     * How many members of each class go to each fold, {@code [fold][class]}. Class c gives
     * q_c = floor(n_c / k) to every fold plus e_c = n_c mod k extras, one each to e_c folds; folds
     * 0..r-1 (r = n mod k) must end up with one extra more than the others, so fold sizes are
     * balanced. Which folds get a class's extras decides the bound |count - n_c |f| / n| &lt;= 1: with
     * the ideal extra share of a large fold b_L = e_c/k + n_c (k-r)/(n k) and of a small fold
     * b_S = e_c/k - n_c r/(n k), an extra may sit in a small fold only if b_S &gt;= 0, and a large fold
     * may go without one only if b_L &lt;= 1. So a class with n_c r &gt; n e_c puts all its extras in
     * large folds, one with n_c (k-r) &gt; n (k-e_c) puts one in every large fold, and the rest take
     * the remaining large-fold slots nearest their ideal count r b_L. Each group of folds is then
     * filled round-robin, which gives every fold of the group the same number of extras.
     */
    static int[][] allocate(int[] counts, int k) {
        int classes = counts.length;
        long n = 0;
        int extrasTotal = 0;
        for (int c : counts) {
            n += c;
            extrasTotal += c % k;
        }
        int r = (int) (n % k);
        int m = (extrasTotal - r) / k; // extras per small fold; large folds get m + 1
        int largeSlots = r * (m + 1);
        int[] toLarge = new int[classes];
        int[] max = new int[classes];
        long[] ideal = new long[classes]; // r b_L scaled by n k, kept exact in integers
        boolean[] free = new boolean[classes];
        int used = 0;
        for (int c = 0; c < classes; c++) {
            int e = counts[c] % k;
            ideal[c] = Math.addExact(Math.multiplyExact(Math.multiplyExact((long) r, e), n),
                    Math.multiplyExact((long) counts[c] * r, k - r));
            if ((long) counts[c] * r > n * e) {
                toLarge[c] = e;
            } else if ((long) counts[c] * (k - r) > n * (k - e)) {
                toLarge[c] = r;
            } else {
                free[c] = true;
                int min = Math.max(0, e - (k - r));
                max[c] = Math.min(e, r);
                toLarge[c] = (int) Math.min(max[c], Math.max(min, ideal[c] / (n * k)));
            }
            used += toLarge[c];
        }
        while (used < largeSlots) {
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (free[c] && toLarge[c] < max[c]
                        && (best < 0 || ideal[c] - toLarge[c] * n * k > ideal[best] - toLarge[best] * n * k)) {
                    best = c;
                }
            }
            if (best < 0) {
                throw new IllegalStateException("no balanced stratified allocation for counts "
                        + Arrays.toString(counts) + " and k = " + k);
            }
            toLarge[best]++;
            used++;
        }
        int[][] alloc = new int[k][classes];
        int nextLarge = 0, nextSmall = 0;
        for (int c = 0; c < classes; c++) {
            for (int f = 0; f < k; f++) {
                alloc[f][c] = counts[c] / k;
            }
            for (int j = 0; j < toLarge[c]; j++) {
                alloc[nextLarge][c]++;
                nextLarge = (nextLarge + 1) % r;
            }
            for (int j = toLarge[c]; j < counts[c] % k; j++) {
                alloc[r + nextSmall][c]++;
                nextSmall = (nextSmall + 1) % (k - r);
            }
        }
        return alloc;
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

    private static int[] permutation(int size, Random rnd) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        shuffle(p, rnd);
        return p;
    }

    /**
     * Class c's generator. The seed goes through SplitMix64's finaliser because java.util.Random's
     * first outputs are correlated for seeds that differ only slightly (seed, seed + 1, ...).
     */
    private static Random classRandom(long seed, int c) {
        return new Random(mix(seed + 0x9E3779B97F4A7C15L * (c + 1)));
    }

    /** SplitMix64's output mix (Steele, Lea, Flood 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
