package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceInfoTest {
    @Test
    void theLineIsTornadosListingForm() {
        DeviceInfo d = new DeviceInfo("1:0", "OPENCL", "pthread-AMD EPYC", "CPU", 3L << 29);
        assertEquals("1:0  OPENCL  " + String.format("%-50s", "pthread-AMD EPYC") + " CPU         1.5 GiB", d.line());
        assertTrue(d.line().matches("\\d+:\\d+ .*"), "devices and scripts read the id as the line's first word");
    }

    @Test
    void anIdIsBackendColonDevice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeviceInfo("gpu", "PTX", "x", "GPU", 0));
        assertTrue(e.getMessage().contains("BACKEND:DEVICE"), e.getMessage());
    }

    @Test
    void withoutTornadoVmTheListIsEmptyAndTheListingSaysWhy() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Engines.tornadoAvailable(), "this build has TornadoVM");
        assertEquals(java.util.List.of(), Engines.tornadoDeviceList());
        assertTrue(Engines.tornadoDevices().get(0).contains("no TornadoVM"), Engines.tornadoDevices().toString());
    }
}
