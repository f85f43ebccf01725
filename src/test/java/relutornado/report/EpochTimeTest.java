package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochTimeTest {
    @Test
    void otherIsWhatThePartsLeaveOfTheWallTime() {
        EpochTime t = EpochTime.of(10_000_000_000L, 6_000_000_000L, 1_000_000_000L, 2_000_000_000L, 500_000_000L, 0, 3_000);
        assertEquals(0.5, t.other(), 1e-12);
        assertEquals(0.6, t.stepShare(), 1e-12);
        assertEquals(500, t.stepSamplesPerSecond(), 1e-9);
    }

    @Test
    void partsLargerThanTheWallTimeAreAnError() {
        assertThrows(IllegalStateException.class, () -> EpochTime.of(1_000, 800, 300, 0, 0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new EpochTime(1, -0.1, 0, 0, 0, 0, 1.1, 1));
    }

    @Test
    void roundTripsThroughAFoldsRowsColumns() {
        EpochTime t = EpochTime.of(4_000, 1_000, 500, 1_500, 250, 250, 2);
        EpochRow row = new EpochRow(1, 2, 0.5, 0.9, Double.NaN, Double.NaN, 0, Map.of("epoch_seconds", 1.0)).withExtra(t.columns());
        assertEquals(t, EpochTime.of(row));
        assertEquals(1.0, row.extra().get("epoch_seconds"));
        assertNull(EpochTime.of(new EpochRow(1, 2, 0.5, 0.9, Double.NaN, Double.NaN, 0, Map.of())));
    }
}
