package relutornado.engine;

/**
 * Engine choice, from the CLI flags.
 *
 * @param engine  --engine: java, java-parallel or tornado
 * @param device  --device: TornadoVM backend:device index such as 0:0 (tornado only; null = TornadoVM's default)
 * @param threads --threads: worker threads of java-parallel
 * @param profile --profile: collect device profiler figures
 * @param cpuKernels --cpu-kernels: java-parallel runs the Vector API variants of the matrix kernels
 *                   ("vector", the default) or the plain {@code @Parallel} kernels on sub-ranges ("plain",
 *                   bit-identical to the java engine)
 * @param deviceKernels --device-kernels: the tornado engine runs the device variants of {@link KernelVariants}
 *                   (tuned, the default) or the plain kernels; recorded by every engine
 */
public record EngineOptions(String engine, String device, int threads, boolean profile, String cpuKernels,
                            DeviceKernels deviceKernels) {
    public static final java.util.List<String> ENGINES = java.util.List.of("java", "java-parallel", "tornado");
    public static final java.util.List<String> CPU_KERNELS = java.util.List.of("vector", "plain");

    public EngineOptions {
        if (!ENGINES.contains(engine)) {
            throw new IllegalArgumentException("--engine must be one of " + ENGINES + ", got '" + engine + "'");
        }
        if (!CPU_KERNELS.contains(cpuKernels)) {
            throw new IllegalArgumentException("--cpu-kernels must be one of " + CPU_KERNELS + ", got '" + cpuKernels + "'");
        }
        if (deviceKernels == null) {
            throw new IllegalArgumentException("--device-kernels must be one of plain, tuned, tiles, vector");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        if (device != null && !device.matches("\\d+:\\d+")) {
            throw new IllegalArgumentException("--device must be BACKEND:DEVICE indices such as 0:0 (see 'relu-tornado devices'), got '" + device + "'");
        }
        if (device != null && !engine.equals("tornado")) {
            throw new IllegalArgumentException("--device " + device + " needs --engine tornado (engine is " + engine + ")");
        }
    }
}
