package relutornado.engine.tornado;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import relutornado.engine.KernelCases;
import relutornado.engine.DeviceInfo;
import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;

/**
 * Every kernel case of every device-kernel family (plain, tiles, vector) on TornadoVM's SPIR-V backend, against the
 * sequential JVM: the kernels stay in the subset TornadoVM's SPIR-V generator compiles correctly. Runs on the first
 * SPIR-V device TornadoVM lists (or -Drelutornado.spirv.device=PATTERN), and is skipped, saying why, when there is none:
 * an SDK built without the SPIR-V backend, or a driver without SPIR-V ingestion (Debian's PoCL has none).
 */
class SpirvKernelsTest {
    private static final Map<DeviceKernels, Engine> ENGINES = new EnumMap<>(DeviceKernels.class);

    static Stream<Arguments> cases() {
        return Stream.of(DeviceKernels.PLAIN, DeviceKernels.TILES, DeviceKernels.VECTOR)
                .flatMap(k -> KernelCases.all().stream().map(c -> Arguments.of(k, c)));
    }

    /** The SPIR-V device to test, or null: none listed, or TornadoVM absent. */
    static String spirvDevice() {
        if (!Engines.tornadoAvailable()) {
            return null;
        }
        String asked = System.getProperty("relutornado.spirv.device");
        if (asked != null) {
            return asked;
        }
        List<DeviceInfo> spirv = Engines.tornadoDeviceList().stream().filter(d -> d.backend().equals("SPIRV")).toList();
        return spirv.isEmpty() ? null : spirv.get(0).id();
    }

    static synchronized Engine engine(DeviceKernels kind) {
        String device = spirvDevice();
        assumeTrue(device != null, Engines.tornadoAvailable()
                ? "TornadoVM lists no SPIR-V device (an SDK without the spirv backend, or no driver that ingests SPIR-V): "
                + Engines.tornadoDevices()
                : "no TornadoVM runtime in this JVM (run with the SDK's tornado-argfile)");
        return ENGINES.computeIfAbsent(kind, k -> Engines.create(new EngineOptions("tornado", device, 1, false, "vector", k)));
    }

    @AfterAll
    static void stop() {
        ENGINES.values().forEach(Engine::close);
        ENGINES.clear();
    }

    /**
     * A training step's tasks on SPIR-V, where the engine merges calls into tasks no single kernel case runs (the fused
     * pairs, the merged weight packs): the WDBC FFNN's step with the vector family equals the JVM's.
     */
    @org.junit.jupiter.api.Test
    void anFfnnStepWithItsMergedTasksOnSpirvEqualsTheJvm() {
        TornadoEngineTest.assertOneStepEqual(engine(DeviceKernels.VECTOR), "FFNN on SPIR-V",
                relutornado.model.ModelSpec.ffnn(relutornado.data.DatasetName.WDBC, 30, 2, relutornado.model.Head.SOFTMAX), 64, 60);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void kernelOnSpirvEqualsTheJvm(DeviceKernels kind, KernelCases.Case c) {
        TornadoEngineTest.assertDeviceEqualsJvm(engine(kind), c, kind.flag() + " on SPIR-V");
    }
}
