package relutornado.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;

/**
 * The TornadoVM engine (tuned device kernels) against the PyTorch fixtures of {@link TorchAgreementTest}: the loss and
 * the parameters after the step (the gradient slab stays on the device). TornadoVM's default device unless
 * -Drelutornado.device=B:D is given.
 */
class TornadoAgreementTest {
    static Engine tornado;

    @BeforeAll
    static void start() {
        assumeTrue(Engines.tornadoAvailable(), "no TornadoVM runtime in this JVM (run with the SDK's tornado-argfile)");
        tornado = Engines.create(new EngineOptions("tornado", System.getProperty("relutornado.device"), 1, false, "vector",
                DeviceKernels.TUNED));
    }

    @AfterAll
    static void stop() {
        if (tornado != null) {
            tornado.close();
        }
    }

    @ParameterizedTest(name = "{0} head")
    @EnumSource(Head.class)
    void oneTrainingStepAgreesWithPyTorch(Head head) {
        for (String model : TorchAgreementTest.MODELS) {
            TorchAgreementTest.assertAgrees(tornado, "tornado", model, head, false);
        }
    }
}
