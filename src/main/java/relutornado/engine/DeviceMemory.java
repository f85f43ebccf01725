package relutornado.engine;

import java.util.Locale;

/**
 * What a program needs in device memory, from its registered arrays (a device engine allocates each of
 * them once per session): parameters, gradients and Adam moments (their size does not depend on the
 * batch), and the batch's inputs, outputs, activations and workspaces (proportional to {@code --batch}).
 * Checked against the device's limits before the first graph compiles, so a model or batch too large for
 * the device is one clear error instead of an out-of-memory failure in the driver.
 *
 * @param parameters   STATE arrays: weights, Adam m and v
 * @param gradients    the gradient slab (WORK array named {@code grads})
 * @param batch        INPUT, OUTPUT and the other WORK arrays: one batch's inputs, outputs, activations, workspaces
 * @param largestName  the largest single array (it must fit one device allocation)
 */
public record DeviceMemory(long parameters, long gradients, long batch, String largestName, long largestBytes) {

    /**
     * Share of the global memory a run may plan to use: the driver, TornadoVM's own buffers and the compiled
     * kernels take the rest.
     */
    public static final double USABLE_SHARE = 0.9;
    /** Per-array allowance for TornadoVM's array header and alignment. */
    public static final long PER_ARRAY_OVERHEAD = 64;

    /** The need of every array the program registers. */
    public static DeviceMemory of(Program program) {
        long parameters = 0;
        long gradients = 0;
        long batch = 0;
        Program.Buffer largest = null;
        for (Program.Buffer b : program.buffers()) {
            long bytes = b.bytes() + PER_ARRAY_OVERHEAD;
            if (b.role() == Program.Role.STATE) {
                parameters += bytes;
            } else if (b.name().equals("grads")) {
                gradients += bytes;
            } else {
                batch += bytes;
            }
            if (largest == null || b.bytes() > largest.bytes()) {
                largest = b;
            }
        }
        return new DeviceMemory(parameters, gradients, batch, largest == null ? "-" : largest.name(),
                largest == null ? 0 : largest.bytes());
    }

    public long total() {
        return parameters + gradients + batch;
    }

    /**
     * Throws a one-line error naming the device and what does not fit, when the total exceeds
     * {@link #USABLE_SHARE} of {@code globalMemory} or the largest array exceeds {@code maxAllocation}
     * (OpenCL's CL_DEVICE_MAX_MEM_ALLOC_SIZE, often a quarter of the global memory). A limit &le; 0 is unknown
     * and not checked.
     */
    public void check(String program, String device, long maxAllocation, long globalMemory) {
        if (globalMemory > 0 && total() > (long) (USABLE_SHARE * globalMemory)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s needs %s of device memory (weights and Adam moments %s, gradients %s, one batch's inputs, outputs and"
                            + " activations %s) but %s has %s (%.0f %% usable): lower --batch, or choose a device with more memory",
                    program, bytes(total()), bytes(parameters), bytes(gradients), bytes(batch), device, bytes(globalMemory),
                    100 * USABLE_SHARE));
        }
        if (maxAllocation > 0 && largestBytes > maxAllocation) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s needs one array of %s (%s) but %s allocates at most %s at once: lower --batch, or choose another device",
                    program, bytes(largestBytes), largestName, device, bytes(maxAllocation)));
        }
    }

    /** 1.5 GiB, 12.0 MiB, 512 B. */
    public static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        }
        return n + " B";
    }
}
