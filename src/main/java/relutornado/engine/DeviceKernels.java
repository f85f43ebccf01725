package relutornado.engine;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code --device-kernels}: what the {@code tornado} engine runs for kernels that have a device variant in
 * {@link KernelVariants}. Every engine accepts and records it, so one flag list drives a comparison of
 * devices; the JVM engines run the same kernels either way.
 */
public enum DeviceKernels {
    /** The {@code @Parallel} kernels as written: one work-item per output. */
    PLAIN,
    /** The register-tiled device variants with their launch geometry. */
    TUNED;

    /** The flag value: plain, tuned. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeviceKernels parse(String value) {
        for (DeviceKernels d : values()) {
            if (d.flag().equals(value)) {
                return d;
            }
        }
        throw new IllegalArgumentException("--device-kernels must be one of "
                + Arrays.stream(values()).map(DeviceKernels::flag).toList() + ", got '" + value + "'");
    }

    @Override
    public String toString() {
        return flag();
    }
}
