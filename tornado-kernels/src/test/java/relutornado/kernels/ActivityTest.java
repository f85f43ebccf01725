package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivityTest {

    /** The plain statement: for each unit, count positive entries over valid rows and positions. */
    private static int[] reference(float[] act, int n, int C, int S) {
        int[] active = new int[C];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < C; c++) {
                for (int s = 0; s < S; s++) {
                    if (act[(r * C + c) * S + s] > 0) {
                        active[c]++;
                    }
                }
            }
        }
        return active;
    }

    @Test
    void countsMatchThePlainReferenceOnDenseAndChannelShapesAndIgnorePaddingRows() {
        Random rnd = new Random(3);
        for (int[] shape : new int[][] {{7, 5, 1}, {6, 3, 4}, {1, 2, 9}}) {
            int N = shape[0], C = shape[1], S = shape[2];
            float[] act = new float[N * C * S];
            for (int i = 0; i < act.length; i++) {
                act[i] = rnd.nextFloat() < 0.5f ? 0f : rnd.nextFloat();
            }
            int n = Math.max(1, N - 2);
            int[] active = new int[C];
            java.util.Arrays.fill(active, -1);
            Activity.countActive(active, act, new int[] {n}, C, S, 0, C);
            assertArrayEquals(reference(act, n, C, S), active, "shape " + java.util.Arrays.toString(shape));
            // split range, as the multi-core engine runs it
            int[] split = new int[C];
            Activity.countActive(split, act, new int[] {n}, C, S, 0, C / 2);
            Activity.countActive(split, act, new int[] {n}, C, S, C / 2, C - C / 2);
            assertArrayEquals(active, split);
        }
    }

    @Test
    void aDeadUnitCountsZeroAndNegativeOrZeroActivationsAreNotLive() {
        // (N=3, C=3): unit 1 is zero or negative in every row, padding row 2 is positive but ignored
        float[] act = {1f, 0f, 2f,
                       0f, -1f, 3f,
                       5f, 5f, 5f};
        int[] active = new int[3];
        Activity.countActive(active, act, new int[] {2}, 3, 1, 0, 3);
        assertArrayEquals(new int[] {1, 0, 2}, active);
    }
}
