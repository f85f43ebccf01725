package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceInfoTest {
    /** PoCL with SPIR-V ingestion under TornadoVM's SPIR-V and OpenCL backends, as TornadoVM 5.2 numbers them. */
    static final DeviceInfo SPIRV_POCL = new DeviceInfo("0:0", "SPIRV", "OPENCL", "Portable Computing Language",
            "cpu-x86-64-v3-AMD EPYC", "CPU", 3L << 29, "3.1", "OpenCL 3.0 PoCL 3.1 Linux, Release, RELOC, SPIR-V, LLVM 15", "SPIR-V");
    static final DeviceInfo OPENCL_POCL = new DeviceInfo("1:0", "OPENCL", "OPENCL", "Portable Computing Language",
            "cpu-x86-64-v3-AMD EPYC", "CPU", 3L << 29, "3.1", "OpenCL 3.0 PoCL 3.1 Linux, Release, RELOC, SPIR-V, LLVM 15", "SPIR-V");
    static final DeviceInfo OPENCL_NVIDIA = new DeviceInfo("1:1", "OPENCL", "OPENCL", "NVIDIA CUDA", "NVIDIA H100", "GPU",
            80L << 30, "550.54", "OpenCL 3.0 CUDA", null);
    static final List<DeviceInfo> DEVICES = List.of(SPIRV_POCL, OPENCL_POCL, OPENCL_NVIDIA);

    @Test
    void theLineStartsWithTheIdAndNamesBackendRuntimePlatformAndDevice() {
        String line = SPIRV_POCL.line();
        assertTrue(line.matches("\\d+:\\d+ .*"), "devices and scripts read the id as the line's first word: " + line);
        for (String part : List.of("SPIRV", "OPENCL", "Portable Computing Language", "cpu-x86-64-v3-AMD EPYC", "CPU", "1.5 GiB",
                "driver 3.1", "IL SPIR-V")) {
            assertTrue(line.contains(part), part + " in " + line);
        }
        assertFalse(OPENCL_NVIDIA.line().contains("IL "), "no IL where the device ingests none: " + OPENCL_NVIDIA.line());
    }

    @Test
    void anIdIsBackendColonDevice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceInfo("gpu", "PTX", "CUDA", "NVIDIA", "x", "GPU", 0, null, null, null));
        assertTrue(e.getMessage().contains("BACKEND:DEVICE"), e.getMessage());
    }

    @Test
    void aPatternSelectsByBackendAndAnyPartOfTheDescription() {
        assertEquals("0:0", DeviceInfo.select("spirv:pocl", DEVICES).id(), "PoCL's version string names it");
        assertEquals("0:0", DeviceInfo.select("SPIRV", DEVICES).id(), "a backend with one device needs no more");
        assertEquals("1:0", DeviceInfo.select("opencl:pocl", DEVICES).id());
        assertEquals("1:0", DeviceInfo.select("opencl:Portable", DEVICES).id());
        assertEquals("1:1", DeviceInfo.select("opencl:h100", DEVICES).id());
        assertEquals("1:1", DeviceInfo.select("1:1", DEVICES).id(), "indices still work");
    }

    @Test
    void aPatternThatSelectsNoneOrSeveralIsAnErrorListingTheDevices() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> DeviceInfo.select("ptx", DEVICES));
        assertTrue(none.getMessage().contains("--device ptx matches no TornadoVM device") && none.getMessage().contains(OPENCL_NVIDIA.line()),
                none.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> DeviceInfo.select("opencl", DEVICES));
        assertTrue(two.getMessage().contains("matches 2 TornadoVM devices: 1:0, 1:1"), two.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> DeviceInfo.select("0:9", DEVICES));
        assertTrue(missing.getMessage().contains("--device 0:9 does not exist"), missing.getMessage());
    }

    @Test
    void theFlagIsIndicesOrABackendPattern() {
        for (String ok : List.of("0:0", "12:3", "spirv", "spirv:pocl", "OpenCL:NVIDIA H100", "ptx:h100")) {
            assertTrue(DeviceInfo.isDeviceFlag(ok), ok);
        }
        for (String bad : List.of("gpu0", "pocl", "cuda:x", "spirv:", "0:0:0", "spirv:a,b", "")) {
            assertFalse(DeviceInfo.isDeviceFlag(bad), bad);
        }
    }

    @Test
    void withoutTornadoVmTheListIsEmptyAndTheListingSaysWhy() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Engines.tornadoAvailable(), "this build has TornadoVM");
        assertEquals(List.of(), Engines.tornadoDeviceList());
        assertTrue(Engines.tornadoDevices().get(0).contains("no TornadoVM"), Engines.tornadoDevices().toString());
    }
}
