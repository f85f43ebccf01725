package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Device faults as the user sees them; the exception classes stand in for TornadoVM's (matched by simple name). */
class DeviceFaultTest {

    static final class TornadoOutOfMemoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TornadoOutOfMemoryException(String m) {
            super(m);
        }
    }

    static final class TornadoBailoutRuntimeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TornadoBailoutRuntimeException(String m, Throwable cause) {
            super(m, cause);
        }
    }

    static final class TornadoRuntimeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TornadoRuntimeException(String m) {
            super(m);
        }
    }

    private static final List<String> TASKS = List.of("dense0_fwd", "dense1_fwd", "dense10_fwd", "softmax_fwd", "adam");
    private static final String DEVICE = "0:0 OPENCL NVIDIA H100 (GPU)";

    @Test
    void outOfMemoryNamesDeviceKernelAndWhatToDo() {
        RuntimeException e = new IllegalStateException("execution failed",
                new TornadoOutOfMemoryException("Unable to allocate 2147483648 bytes for task ffnn_relu_train.dense10_fwd\n  at buffer 7"));
        assertEquals(DeviceFault.Kind.OUT_OF_MEMORY, DeviceFault.kind(e));
        assertEquals("dense10_fwd", DeviceFault.kernel(e, TASKS));
        assertEquals("TornadoVM ran out of device memory on 0:0 OPENCL NVIDIA H100 (GPU) in kernel dense10_fwd (phase train of"
                + " ffnn_relu): TornadoOutOfMemoryException: Unable to allocate 2147483648 bytes for task ffnn_relu_train.dense10_fwd"
                + " at buffer 7; lower --batch, or choose a device with more memory",
                DeviceFault.describe(e, "TornadoVM", DEVICE, "ffnn_relu", "train", TASKS));
    }

    @Test
    void driverErrorCodesAreRecognised() {
        assertEquals(DeviceFault.Kind.OUT_OF_MEMORY, DeviceFault.kind(new TornadoRuntimeException("clEnqueueNDRangeKernel: CL_OUT_OF_RESOURCES")));
        assertEquals(DeviceFault.Kind.OUT_OF_MEMORY, DeviceFault.kind(new RuntimeException("CUDA_ERROR_OUT_OF_MEMORY")));
        assertEquals(DeviceFault.Kind.COMPILE, DeviceFault.kind(new RuntimeException("clBuildProgram: CL_BUILD_PROGRAM_FAILURE")));
        assertEquals(DeviceFault.Kind.DRIVER, DeviceFault.kind(new TornadoRuntimeException("CL_INVALID_COMMAND_QUEUE")));
    }

    @Test
    void aFailedCompileNamesTheKernel() {
        RuntimeException e = new TornadoBailoutRuntimeException("Bailout", new RuntimeException("cannot compile softmax_fwd: unsupported node"));
        assertEquals(DeviceFault.Kind.COMPILE, DeviceFault.kind(e));
        assertEquals("TornadoVM could not compile a kernel on 0:0 OPENCL NVIDIA H100 (GPU) in kernel softmax_fwd (phase eval of"
                + " ffnn_relu): RuntimeException: cannot compile softmax_fwd: unsupported node; RELU_TORNADO_DEBUG=1 prints the"
                + " runtime's stack trace", DeviceFault.describe(e, "TornadoVM", DEVICE, "ffnn_relu", "eval", TASKS));
    }

    @Test
    void anUnnamedKernelListsThePhase() {
        RuntimeException e = new TornadoRuntimeException("CL_INVALID_COMMAND_QUEUE");
        assertNull(DeviceFault.kernel(e, TASKS));
        assertEquals("TornadoVM failed in the device driver on 0:0 OPENCL NVIDIA H100 (GPU) in one of the kernels " + TASKS
                + " (phase train of ffnn_relu): TornadoRuntimeException: CL_INVALID_COMMAND_QUEUE; check the driver with"
                + " 'relu-tornado devices'", DeviceFault.describe(e, "TornadoVM", DEVICE, "ffnn_relu", "train", TASKS));
    }
}
