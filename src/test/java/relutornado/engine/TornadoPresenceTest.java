package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whether this build has the TornadoVM engine. With TORNADO_SDK set (what turns the 'tornado' Maven profile on, and
 * surefire passes the variable on) it must have it, or every TornadoVM test (src/tornado/test) would skip in silence;
 * the engine then opens the devices TornadoVM lists. Without it, asking for the engine is one error saying how to get it.
 */
class TornadoPresenceTest {

    @Test
    void anSdkBuildHasTheEngineAndOpensTheListedDevices() {
        assumeTrue(System.getenv("TORNADO_SDK") != null, "no TornadoVM SDK in this build/JVM: the TornadoVM engine tests (src/tornado/test) "
                + "run under -Ptornado when TORNADO_SDK is set or an SDK is in /opt/tornadovm/sdk (scripts/test.sh does this)");
        assertTrue(Engines.tornadoAvailable(), "TORNADO_SDK is set (the tornado profile is on) but this JVM has no TornadoVM engine: "
                + "src/tornado/java was not built or the SDK's argfile is not on the command line");
        List<String> devices = Engines.tornadoDevices();
        String first = devices.get(0);
        assertTrue(first.matches("0:0 +\\S+ .*"), "TornadoVM lists no device 0:0: " + devices);
        String backend = first.split(" +")[1];
        try (Engine e = Engines.create(new EngineOptions("tornado", "0:0", 1, false, "vector", DeviceKernels.PLAIN))) {
            assertTrue(e.device().startsWith("0:0 " + backend + " "), "the engine on --device 0:0 is the listed one: " + e.device()
                    + " vs " + first);
        }
        // the same device by name: its backend and its name (--device spirv:pocl, opencl:nvidia)
        DeviceInfo d0 = Engines.tornadoDeviceList().get(0);
        String pattern = d0.backend().toLowerCase(java.util.Locale.ROOT) + ":" + d0.name();
        if (Engines.tornadoDeviceList().stream().filter(d -> d.matches(pattern)).count() == 1) { // not two identical cards
            try (Engine e = Engines.create(new EngineOptions("tornado", pattern, 1, false, "vector", DeviceKernels.PLAIN))) {
                assertTrue(e.device().startsWith(pattern + "=0:0 " + backend + " "), "--device " + pattern + " is 0:0: " + e.device());
                assertEquals(d0, e.deviceInfo(), "the engine reports the device it runs on");
            }
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Engines.create(new EngineOptions("tornado", "0:99", 1, false, "vector", DeviceKernels.PLAIN)));
        assertTrue(bad.getMessage().contains("--device 0:99 does not exist") && bad.getMessage().contains(first), bad.getMessage());
    }

    @Test
    void withoutTheEngineAskingForItIsOneErrorThatSaysHowToGetIt() {
        assumeFalse(Engines.tornadoAvailable(), "this build has the TornadoVM engine (anSdkBuildHasTheEngineAndOpensTheListedDevices checks it)");
        List<String> devices = Engines.tornadoDevices();
        assertEquals(1, devices.size(), devices.toString());
        assertTrue(devices.get(0).contains("no TornadoVM") && devices.get(0).contains("TORNADO_SDK"), devices.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Engines.create(new EngineOptions("tornado", null, 1, false, "vector", DeviceKernels.TUNED)));
        assertEquals(devices.get(0), e.getMessage());
    }
}
