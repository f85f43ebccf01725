package relutornado.engine;

import java.util.Locale;

/**
 * {@code --device-kernels}: what the {@code tornado} engine runs for kernels that have a device variant in
 * {@link KernelVariants}. Every engine accepts and records it, so one flag list drives a comparison of
 * devices; the JVM engines run the same kernels either way.
 */
public enum DeviceKernels {
    /** The {@code @Parallel} kernels as written: one work-item per output. */
    PLAIN,
    /** The device's best: {@link #VECTOR} on CPU devices (PoCL and other CPU OpenCL drivers), {@link #TILES} on the rest. */
    TUNED,
    /** The register-tiled device variants of {@link KernelVariants} (4×4 scalar tiles) with their launch geometry. */
    TILES,
    /**
     * The dense products on TornadoVM's vector types (6×16 {@code float16} tiles, the TornadoVM source set's
     * {@code GemmVector}), the other registered kernels as {@link #TILES}.
     */
    VECTOR;

    /** The flag value: plain, tuned, tiles, vector. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return flag();
    }
}
