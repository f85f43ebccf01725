package relutornado.engine;

import java.util.Arrays;

/**
 * Launch geometry of a kernel call on a device: global work sizes per dimension (dimension 0 first, the
 * fastest), optional local (work-group) sizes, and whether the kernel takes TornadoVM's
 * {@code KernelContext} as its first parameter (the engine supplies it; the call's arguments omit it).
 * The TornadoVM engine turns it into a {@code WorkerGrid} in its {@code GridScheduler}; the JVM engines
 * ignore it.
 *
 * @param global work-items per dimension (1 to 3 dimensions, each ≥ 1)
 * @param local  work-group size per dimension, or null for the device's choice
 */
public record Launch(long[] global, long[] local, boolean kernelContext) {

    public Launch {
        if (global.length < 1 || global.length > 3) {
            throw new IllegalArgumentException("a launch has 1 to 3 dimensions, got " + global.length);
        }
        for (long g : global) {
            if (g < 1) {
                throw new IllegalArgumentException("global work sizes must be >= 1, got " + Arrays.toString(global));
            }
        }
        if (local != null) {
            if (local.length != global.length) {
                throw new IllegalArgumentException("local sizes " + Arrays.toString(local) + " do not match global " + Arrays.toString(global));
            }
            global = global.clone();
            for (int d = 0; d < local.length; d++) {
                if (local[d] < 1) {
                    throw new IllegalArgumentException("local work sizes must be >= 1, got " + Arrays.toString(local));
                }
                // OpenCL 1.2 wants global divisible by local: round up (the kernels' loops guard the extra items)
                global[d] = (global[d] + local[d] - 1) / local[d] * local[d];
            }
            local = local.clone();
        } else {
            global = global.clone();
        }
    }

    /** A @Parallel kernel's grid: global sizes, the device picks the work-group. */
    public static Launch of(long... global) {
        return new Launch(global, null, false);
    }

    /** The same grid with work-groups of the given sizes. */
    public Launch withLocal(long... localSizes) {
        return new Launch(global, localSizes, kernelContext);
    }

    @Override
    public long[] global() {
        return global.clone();
    }

    @Override
    public long[] local() {
        return local == null ? null : local.clone();
    }

    @Override
    public String toString() {
        return "global " + Arrays.toString(global) + (local == null ? "" : " local " + Arrays.toString(local))
                + (kernelContext ? " with KernelContext" : "");
    }
}
