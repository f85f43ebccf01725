package relutornado.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** study run --devices: a TornadoVM device by indices or by name pattern becomes the cells' --engine tornado --device. */
class LocalExecutorDeviceTest {
    @Test
    void aDeviceByIndicesOrNameRunsTheCellsOnTornado() {
        assertEquals(List.of("--engine", "tornado", "--device", "1:0"), LocalExecutor.Device.parse("1:0").flags());
        assertEquals(List.of("--engine", "tornado", "--device", "spirv:pocl"), LocalExecutor.Device.parse(" spirv:pocl ").flags());
        assertEquals(List.of("--engine", "java-parallel", "--threads", "2"), LocalExecutor.Device.parse("java-parallel/2").flags());
    }

    @Test
    void anythingElseIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalExecutor.Device.parse("gpu0"));
        assertTrue(e.getMessage().contains("--devices: 'gpu0'") && e.getMessage().contains("spirv:pocl"), e.getMessage());
    }
}
