package relutornado.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an exception a device runtime threw while running a phase into one line naming the device, the
 * kind of fault and the kernel. The kind comes from the exception classes' simple names and the driver's
 * error codes in the messages (no dependency on the runtime's classes, so this is tested without one);
 * the kernel is the first task name of the phase that a message of the cause chain mentions, else the
 * phase's kernels are listed.
 */
public final class DeviceFault {

    /** What went wrong, in the user's words. */
    public enum Kind {
        OUT_OF_MEMORY("ran out of device memory"),
        COMPILE("could not compile a kernel"),
        DRIVER("failed in the device driver");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private DeviceFault() {
    }

    /** The kind of fault the cause chain shows. */
    public static Kind kind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            String message = String.valueOf(t.getMessage());
            if (name.contains("OutOfMemory") || name.equals("TornadoMemoryException") || message.contains("CL_OUT_OF_RESOURCES")
                    || message.contains("CL_MEM_OBJECT_ALLOCATION_FAILURE") || message.contains("CL_OUT_OF_HOST_MEMORY")
                    || message.contains("CUDA_ERROR_OUT_OF_MEMORY") || message.contains("ZE_RESULT_ERROR_OUT_OF_DEVICE_MEMORY")) {
                return Kind.OUT_OF_MEMORY;
            }
            if (name.contains("Bailout") || name.contains("Compilation") || name.contains("Inlining")
                    || message.contains("CL_BUILD_PROGRAM_FAILURE") || message.contains("CUDA_ERROR_INVALID_PTX")) {
                return Kind.COMPILE;
            }
        }
        return Kind.DRIVER;
    }

    /** The first of the task names that a message in the cause chain mentions, or null. */
    public static String kernel(Throwable e, List<String> tasks) {
        List<String> longestFirst = new ArrayList<>(tasks);
        longestFirst.sort((a, b) -> b.length() - a.length()); // dense10_fwd before dense1_fwd
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String task : longestFirst) {
                if (message.contains(task)) {
                    return task;
                }
            }
        }
        return null;
    }

    /** "TornadoVM ran out of device memory on DEVICE in kernel K (phase train of P): CAUSE". */
    public static String describe(Throwable e, String runtime, String device, String program, String phase, List<String> tasks) {
        Kind kind = kind(e);
        String kernel = kernel(e, tasks);
        String where = kernel != null ? "in kernel " + kernel : "in one of the kernels " + tasks;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String cause = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage().strip()
                .replaceAll("\\s*\\R\\s*", " "));
        String hint = switch (kind) {
            case OUT_OF_MEMORY -> "; lower --batch, or choose a device with more memory";
            case COMPILE -> "; RELU_TORNADO_DEBUG=1 prints the runtime's stack trace";
            case DRIVER -> "; check the driver with 'relu-tornado devices'";
        };
        return runtime + " " + kind.words() + " on " + device + " " + where + " (phase " + phase + " of " + program + "): " + cause + hint;
    }
}
