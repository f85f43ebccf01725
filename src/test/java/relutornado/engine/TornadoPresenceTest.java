package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Says, as a skipped test with its reason, when the TornadoVM engine tests cannot run; when they can,
 * checks the engine is really in this build (the tests themselves are in src/tornado/test).
 */
class TornadoPresenceTest {
    @Test
    void tornadoEngineTestsRunWhenAnSdkIsPresent() {
        assumeTrue(Engines.tornadoAvailable(), "no TornadoVM SDK in this build/JVM: the TornadoVM engine tests (src/tornado/test) "
                + "run under -Ptornado when TORNADO_SDK is set or an SDK is in /opt/tornadovm/sdk (scripts/test.sh does this)");
        assertTrue(Engines.tornadoDevices().stream().anyMatch(l -> l.matches("\\d+:\\d+.*")), "TornadoVM lists no device");
    }
}
