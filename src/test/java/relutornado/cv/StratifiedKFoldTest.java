package relutornado.cv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import relutornado.cv.StratifiedKFold.Fold;

class StratifiedKFoldTest {

    /** Labels with the given class counts, interleaved in a seeded random order. */
    static int[] labels(long seed, int... counts) {
        List<Integer> y = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                y.add(c);
            }
        }
        java.util.Collections.shuffle(y, new Random(seed));
        return y.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] count(int[] labels, int[] indices, int classes) {
        int[] counts = new int[classes];
        for (int i : indices) {
            counts[labels[i]]++;
        }
        return counts;
    }

    /** Disjoint validation sets covering 0..n-1, each fold's train its complement. */
    static void assertPartition(List<Fold> folds, int n) {
        int[] seen = new int[n];
        for (int f = 0; f < folds.size(); f++) {
            assertEquals(f, folds.get(f).index());
            assertComplement(folds.get(f), n);
            for (int i : folds.get(f).validation()) {
                seen[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen[i], "index " + i + " in exactly one validation fold");
        }
    }

    /** Train and validation ascending, disjoint, together 0..n-1. */
    static void assertComplement(Fold fold, int n) {
        int[] union = new int[n];
        for (int i : fold.validation()) {
            union[i]++;
        }
        for (int i : fold.train()) {
            union[i]++;
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1, union[i], "fold " + fold.index() + ": index " + i + " in train or validation exactly once");
        }
        assertSorted(fold.validation());
        assertSorted(fold.train());
    }

    static void assertSorted(int[] a) {
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i - 1] < a[i], "ascending");
        }
    }

    /** floor/ceil of n_c / k members of class c per fold, fold sizes within one. */
    static void assertStratified(List<Fold> folds, int[] labels, int classes) {
        int n = labels.length;
        int k = folds.size();
        int[] total = count(labels, java.util.stream.IntStream.range(0, n).toArray(), classes);
        int minSize = Integer.MAX_VALUE, maxSize = 0;
        for (Fold fold : folds) {
            int size = fold.validation().length;
            minSize = Math.min(minSize, size);
            maxSize = Math.max(maxSize, size);
            int[] fc = count(labels, fold.validation(), classes);
            for (int c = 0; c < classes; c++) {
                int lo = total[c] / k, hi = (total[c] + k - 1) / k;
                assertTrue(fc[c] == lo || fc[c] == hi, "fold " + fold.index() + " class " + c + ": " + fc[c]
                        + " not floor/ceil of " + total[c] + "/" + k + " (counts " + Arrays.toString(total) + ")");
            }
        }
        assertTrue(maxSize - minSize <= 1, "fold sizes " + minSize + ".." + maxSize);
    }

    @Test
    void partitionAndStratification() {
        int[] y = labels(1, 50, 23, 7, 120);
        for (int k : new int[] {2, 3, 5, 7}) {
            for (boolean shuffle : new boolean[] {false, true}) {
                List<Fold> folds = new StratifiedKFold(k, shuffle, 42).split(y, 4);
                assertEquals(k, folds.size());
                assertPartition(folds, y.length);
                assertStratified(folds, y, 4);
            }
        }
    }

    @Test
    void withoutShuffleTheFoldsAreSklearns() {
        // sklearn StratifiedKFold(3).split on y = 0,0,0,0,0,1,1,1: sorted labels dealt round-robin give folds 0,1,2
        // two, two and one of class 0 and one each of class 1; members take fold numbers in index order
        int[] y = {0, 0, 0, 0, 0, 1, 1, 1};
        List<Fold> folds = new StratifiedKFold(3, false, 0).split(y, 2);
        assertArrayEquals(new int[] {0, 1, 5}, folds.get(0).validation());
        assertArrayEquals(new int[] {2, 3, 6}, folds.get(1).validation());
        assertArrayEquals(new int[] {4, 7}, folds.get(2).validation());
    }

    @Test
    void partitionAndStratificationOnRandomClassSizes() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int k = 2 + rnd.nextInt(9);
            int classes = 1 + rnd.nextInt(6);
            int[] counts = new int[classes];
            for (int c = 0; c < classes; c++) {
                int spread = new int[] {0, 1, 3, 10, 60, 400}[rnd.nextInt(6)];
                counts[c] = rnd.nextInt(8) == 0 ? 0 : k + rnd.nextInt(spread + 1);
            }
            int[] y = labels(trial, counts);
            if (y.length < k) {
                continue;
            }
            List<Fold> folds = new StratifiedKFold(k, trial % 2 == 0, trial).split(y, classes);
            assertPartition(folds, y.length);
            assertStratified(folds, y, classes);
        }
    }

    @Test
    void sameSeedSameFoldsOtherSeedOtherFolds() {
        int[] y = labels(5, 40, 40, 20);
        List<Fold> a = new StratifiedKFold(5, true, 123).split(y, 3);
        List<Fold> b = new StratifiedKFold(5, true, 123).split(y.clone(), 3);
        List<Fold> c = new StratifiedKFold(5, true, 124).split(y, 3);
        assertEquals(a, b);
        assertNotEquals(a, c);
        // the seed changes which indices, not how many of each class
        for (int f = 0; f < 5; f++) {
            assertArrayEquals(count(y, a.get(f).validation(), 3), count(y, c.get(f).validation(), 3));
        }
    }

    @Test
    void withoutShuffleEachClassIsDealtInIndexOrder() {
        int[] y = labels(9, 13, 9, 6);
        List<Fold> folds = new StratifiedKFold(3, false, 1).split(y, 3);
        assertEquals(folds, new StratifiedKFold(3, false, 2).split(y, 3), "seed ignored without shuffle");
        for (int c = 0; c < 3; c++) {
            // class c's indices in ascending order: fold 0 takes the first block, fold 1 the next, ...
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == c) {
                    members.add(i);
                }
            }
            List<Integer> dealt = new ArrayList<>();
            for (Fold fold : folds) {
                for (int i : fold.validation()) {
                    if (y[i] == c) {
                        dealt.add(i);
                    }
                }
            }
            assertEquals(members, dealt, "class " + c);
        }
    }

    @Test
    void sortedLabelsWithoutShuffleGiveContiguousBlocks() {
        int[] y = {0, 0, 0, 0, 1, 1, 1, 1};
        List<Fold> folds = new StratifiedKFold(2, false, 0).split(y, 2);
        assertArrayEquals(new int[] {0, 1, 4, 5}, folds.get(0).validation());
        assertArrayEquals(new int[] {2, 3, 6, 7}, folds.get(0).train());
        assertArrayEquals(new int[] {2, 3, 6, 7}, folds.get(1).validation());
    }

    @Test
    void absentClassIsAllowed() {
        int[] y = labels(2, 10, 0, 12);
        List<Fold> folds = new StratifiedKFold(4, true, 0).split(y, 3);
        assertPartition(folds, y.length);
        assertStratified(folds, y, 3);
    }

    @Test
    void badKIsRefused() {
        assertMessage(() -> new StratifiedKFold(1, true, 0), "needs k >= 2 folds, got 1; use StratifiedKFold.holdout");
        assertMessage(() -> new StratifiedKFold(0, true, 0), "got 0");
        assertMessage(() -> new StratifiedKFold(5, false, 0).split(new int[] {0, 1, 0, 1}, 2), "cannot split 4 samples into k = 5");
        assertMessage(() -> new StratifiedKFold(3, false, 0).split(labels(0, 5, 2, 9, 1), 4),
                "class 1 has 2 members, class 3 has 1 member (class counts [5, 2, 9, 1])");
    }

    @Test
    void badLabelsAreRefused() {
        StratifiedKFold cv = new StratifiedKFold(2, false, 0);
        assertMessage(() -> cv.split(new int[] {0, 1, 2, 0}, 2), "labels[2] = 2 is outside [0, 2)");
        assertMessage(() -> cv.split(null, 2), "labels must not be null");
        assertMessage(() -> cv.split(new int[] {0, 0}, 0), "classes must be at least 1");
    }

    @Test
    void foldRecordValidatesAndCopies() {
        assertMessage(() -> new Fold(0, new int[] {2, 1}, new int[0]), "strictly ascending, found 1 at position 1");
        assertMessage(() -> new Fold(0, new int[] {0, 1}, new int[] {1, 2}), "index 1 is in both train and validation");
        assertMessage(() -> new Fold(-1, new int[0], new int[0]), "fold index must be >= 0");
        int[] train = {0, 3};
        Fold f = new Fold(0, train, new int[] {1});
        train[0] = 9;
        f.train()[1] = 9;
        assertArrayEquals(new int[] {0, 3}, f.train());
    }

    @Test
    void holdoutIsStratifiedAndSizedLikeTrainTestSplit() {
        int[] y = labels(4, 300, 120, 80);
        Fold h = StratifiedKFold.holdout(y, 3, 50, 7);
        assertEquals(0, h.index());
        assertComplement(h, y.length);
        assertArrayEquals(new int[] {30, 12, 8}, count(y, h.validation(), 3));
        // 431 train rows: 258.6, 103.44, 68.96 floored, the two missing to the largest remainders (classes 2, 0)
        assertArrayEquals(new int[] {41, 17, 11}, count(y, StratifiedKFold.holdout(y, 3, 69, 7).validation(), 3));
    }

    @Test
    void holdoutIsDeterministicPerSeed() {
        int[] y = labels(4, 60, 40);
        assertEquals(StratifiedKFold.holdout(y, 2, 25, 1), StratifiedKFold.holdout(y, 2, 25, 1));
        assertNotEquals(StratifiedKFold.holdout(y, 2, 25, 1), StratifiedKFold.holdout(y, 2, 25, 2));
    }

    @Test
    void holdoutKeepsExactlyTheTrainRowsAsked() {
        // the --limit path: n - limit validation rows leave exactly limit training rows
        int[] y = labels(8, 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
        for (int limit : new int[] {1, 10, 100, 1000, 7777, 59999}) {
            assertEquals(limit, StratifiedKFold.holdout(y, 10, y.length - limit, 3).train().length, "limit " + limit);
        }
    }

    @Test
    void holdoutRefusesBadSizes() {
        int[] y = {0, 1, 0, 1};
        assertMessage(() -> StratifiedKFold.holdout(y, 2, 0, 0), "0 validation samples of 4; need between 1 and 3");
        assertMessage(() -> StratifiedKFold.holdout(y, 2, 4, 0), "need between 1 and 3");
        assertMessage(() -> StratifiedKFold.holdout(new int[] {0}, 1, 1, 0), "need between 1 and 0");
    }

    @Test
    void approximateModeMatchesSklearn() {
        // values from sklearn 1.2.1's _approximate_mode; where remainders tie at the cut sklearn picks at random,
        // so these cases have no tie there and sklearn gives the same answer for every random state
        assertArrayEquals(new int[] {148, 250}, StratifiedKFold.approximateMode(new int[] {212, 357}, 398));
        assertArrayEquals(new int[] {2, 5, 7}, StratifiedKFold.approximateMode(new int[] {3, 7, 11}, 14));
        assertArrayEquals(new int[] {1, 2, 2, 3, 80}, StratifiedKFold.approximateMode(new int[] {1, 2, 3, 4, 100}, 88));
        assertArrayEquals(new int[] {10, 23, 33, 6}, StratifiedKFold.approximateMode(new int[] {13, 29, 41, 7}, 72));
        // MNIST's 60,000 training labels, test_size=0.3; MNIST's 10,000 test labels, test_size=0.3
        assertArrayEquals(new int[] {4146, 4719, 4171, 4292, 4089, 3795, 4143, 4385, 4096, 4164},
                StratifiedKFold.approximateMode(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, 42000));
        assertArrayEquals(new int[] {686, 795, 722, 707, 687, 624, 671, 720, 682, 706},
                StratifiedKFold.approximateMode(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, 7000));
    }

    static void assertMessage(Runnable r, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
