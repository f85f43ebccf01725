package relutornado.engine.tornado;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tuning files, devices and run.json name TornadoVM's version: it must be found where TornadoVM runs (its module path). */
class TornadoVersionTest {
    @Test
    void theVersionOfTheSdkIsKnown() {
        String v = TornadoEngine.tornadoVersion();
        assertNotNull(v, "TornadoVM's version");
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+.*"), v);
    }
}
