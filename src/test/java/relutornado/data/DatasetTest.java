package relutornado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

    static final List<String> ABC = List.of("a", "b", "c");

    /** 4 rows x 2 features: row r is (10r, 10r + 1), label r % 3. */
    static Dataset small() {
        return new Dataset("small", new float[] {0, 1, 10, 11, 20, 21, 30, 31}, new int[] {0, 1, 2, 0}, 4, 2, ABC);
    }

    @Test
    void holdsItsShape() {
        Dataset d = small();
        assertEquals(3, d.classes());
        assertArrayEquals(new int[] {2, 1, 1}, d.classCounts());
        assertEquals("small: 4 x 2, 3 classes", d.toString());
    }

    @Test
    void subsetCopiesRowsInOrder() {
        Dataset d = small();
        Dataset s = d.subset(new int[] {3, 1, 3});
        assertEquals("small", s.name());
        assertEquals(ABC, s.classNames());
        assertEquals(3, s.rows());
        assertArrayEquals(new float[] {30, 31, 10, 11, 30, 31}, s.x());
        assertArrayEquals(new int[] {0, 1, 0}, s.y());
        s.x()[0] = -1;
        assertEquals(30f, d.x()[6], "subset must copy, not share, the rows");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {0, 4}));
        assertTrue(e.getMessage().contains("subset index 4 at position 1 is outside 0..3"), e.getMessage());
    }

    @Test
    void withXKeepsLabels() {
        Dataset d = small().withX(new float[] {1, 2, 3, 4}, 1);
        assertEquals(1, d.features());
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.y());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small().withX(new float[5], 2));
        assertTrue(e.getMessage().contains("x has 5 values, expected rows x features = 4 x 2 = 8"), e.getMessage());
    }

    @Test
    void validatesItsArguments() {
        assertMessage(() -> new Dataset("d", new float[4], new int[3], 2, 2, ABC), "y has 3 labels, expected one per row (2)");
        assertMessage(() -> new Dataset("d", new float[4], new int[] {0, 3}, 2, 2, ABC), "label 3 at row 1 is outside 0..2 (3 classes)");
        assertMessage(() -> new Dataset("d", new float[4], new int[] {-1, 0}, 2, 2, ABC), "label -1 at row 0");
        assertMessage(() -> new Dataset("d", new float[4], new int[2], 2, 2, List.of()), "needs at least one class name");
        assertMessage(() -> new Dataset("d", new float[0], new int[0], 0, 0, ABC), "features >= 1");
        assertMessage(() -> new Dataset(" ", new float[0], new int[0], 0, 1, ABC), "name must not be empty");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(text), "expected '" + text + "' in: " + e.getMessage());
    }
}
