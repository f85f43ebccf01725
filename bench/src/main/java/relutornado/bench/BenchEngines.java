package relutornado.bench;

import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;

/**
 * The engines a benchmark compares, by JMH parameter: {@code java} (sequential reference, the
 * baseline of every ratio), {@code java-parallel} (all cores, Vector API CPU kernels),
 * {@code java-parallel-plain} (all cores, the plain {@code @Parallel} kernels: what threads alone buy),
 * {@code tornado} (TornadoVM on the {@code device} parameter, e.g. 0:0; empty = TornadoVM's default; the tuned device
 * kernels), {@code tornado-plain} (the same device running the plain {@code @Parallel} kernels).
 */
final class BenchEngines {
    private BenchEngines() {
    }

    static Engine create(String engine, String device) {
        int cores = Runtime.getRuntime().availableProcessors();
        return switch (engine) {
            case "java" -> Engines.create(new EngineOptions("java", null, 1, false, "vector", DeviceKernels.TUNED));
            case "java-parallel" -> Engines.create(new EngineOptions("java-parallel", null, cores, false, "vector", DeviceKernels.TUNED));
            case "java-parallel-plain" -> Engines.create(new EngineOptions("java-parallel", null, cores, false, "plain", DeviceKernels.TUNED));
            case "tornado" -> Engines.create(new EngineOptions("tornado", device.isEmpty() ? null : device, 1, false, "vector", DeviceKernels.TUNED));
            case "tornado-plain" -> Engines.create(new EngineOptions("tornado", device.isEmpty() ? null : device, 1, false, "vector", DeviceKernels.PLAIN));
            default -> throw new IllegalArgumentException("-p engine must be java, java-parallel, java-parallel-plain, tornado or tornado-plain, got '"
                    + engine + "'");
        };
    }
}
