package relutornado.engine;

import java.util.Locale;

/** {@code --cpu-kernels}: what java-parallel runs for kernels that have a CPU variant; {@link #toString()} is the flag value. */
public enum CpuKernels {
    /** The Vector API variants of {@link KernelVariants} (needs the JVM flag {@code --add-modules jdk.incubator.vector}). */
    VECTOR,
    /** The {@code @Parallel} kernels on sub-ranges: bit-identical to the java engine, no Vector API needed. */
    PLAIN;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
