package relutornado.engine;

import java.nio.file.Path;

/**
 * Engine choice, from the CLI flags.
 *
 * @param engine  --engine: java, java-parallel or tornado
 * @param device  --device: TornadoVM BACKEND:DEVICE indices such as 0:0, or a name pattern such as spirv:pocl
 *                ({@link DeviceInfo#select}); tornado only; null = TornadoVM's default
 * @param threads --threads: worker threads of java-parallel
 * @param profile --profile: collect device profiler figures
 * @param cpuKernels --cpu-kernels: java-parallel runs the Vector API variants of the matrix kernels
 *                   (vector, the default) or the plain {@code @Parallel} kernels on sub-ranges (plain,
 *                   bit-identical to the java engine)
 * @param deviceKernels --device-kernels: the tornado engine runs the device variants of {@link KernelVariants}
 *                   (tuned, the default) or the plain kernels; recorded by every engine
 * @param tuning  --tuning: the device's tuning file for --device-kernels tuned (tornado) and java-parallel's GEMM tile;
 *                null = the device's file under {@code tuning/} if there is one
 */
public record EngineOptions(EngineKind engine, String device, int threads, boolean profile, CpuKernels cpuKernels,
                            DeviceKernels deviceKernels, Path tuning) {

    public EngineOptions {
        if (engine == null || cpuKernels == null || deviceKernels == null) {
            throw new IllegalArgumentException("--engine, --cpu-kernels and --device-kernels need a value");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("Invalid value for option '--threads': expected >= 1 but was '" + threads + "'");
        }
        if (device != null && !DeviceInfo.isDeviceFlag(device)) {
            throw new IllegalArgumentException("Invalid value for option '--device': expected BACKEND:DEVICE indices such as 0:0 "
                    + "or a name pattern such as spirv:pocl (see 'relu-tornado devices') but was '" + device + "'");
        }
        if (device != null && engine != EngineKind.TORNADO) {
            throw new IllegalArgumentException("--device " + device + " needs --engine tornado (engine is " + engine + ")");
        }
    }

    /** Options without --tuning: the device's file under {@code tuning/} if there is one. */
    public EngineOptions(EngineKind engine, String device, int threads, boolean profile, CpuKernels cpuKernels, DeviceKernels deviceKernels) {
        this(engine, device, threads, profile, cpuKernels, deviceKernels, null);
    }

    /** The options from flag words (tests, benchmarks): a bad word is the CLI's error for that flag. */
    public EngineOptions(String engine, String device, int threads, boolean profile, String cpuKernels, DeviceKernels deviceKernels) {
        this(engine, device, threads, profile, cpuKernels, deviceKernels, null);
    }

    public EngineOptions(String engine, String device, int threads, boolean profile, String cpuKernels, DeviceKernels deviceKernels, Path tuning) {
        this(FlagWord.parse(EngineKind.class, "--engine", engine), device, threads, profile,
                FlagWord.parse(CpuKernels.class, "--cpu-kernels", cpuKernels), deviceKernels, tuning);
    }
}
