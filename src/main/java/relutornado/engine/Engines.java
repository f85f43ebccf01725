package relutornado.engine;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/** Creates engines by flag. The TornadoVM engine is loaded by name: it is only in builds made against an SDK. */
public final class Engines {
    /** Built under the 'tornado' Maven profile from src/tornado/java. */
    public static final String TORNADO_ENGINE_CLASS = "relutornado.engine.tornado.TornadoEngine";

    private Engines() {
    }

    public static Engine create(EngineOptions options) {
        return switch (options.engine()) {
            case JAVA -> new JavaEngine();
            case JAVA_PARALLEL -> ParallelJavaEngine.tuned(options.threads(), options.cpuKernels() == CpuKernels.VECTOR, options.tuning());
            case TORNADO -> tornado(options);
        };
    }

    /** True when this build contains the TornadoVM engine and a TornadoVM runtime is on the class path. */
    public static boolean tornadoAvailable() {
        try {
            Class.forName(TORNADO_ENGINE_CLASS);
            Class.forName("uk.ac.manchester.tornado.api.TaskGraph");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The TornadoVM devices, typed; empty when this build or JVM has no TornadoVM (or TornadoVM finds none). */
    @SuppressWarnings("unchecked")
    public static List<DeviceInfo> tornadoDeviceList() {
        if (!tornadoAvailable()) {
            return List.of();
        }
        try {
            return (List<DeviceInfo>) Class.forName(TORNADO_ENGINE_CLASS).getMethod("devices").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot list TornadoVM devices: " + rootMessage(e), e);
        }
    }

    /** Lines describing the TornadoVM devices (backend:device, name, type, memory), or why there are none. */
    public static List<String> tornadoDevices() {
        if (!tornadoAvailable()) {
            return List.of(notAvailable());
        }
        List<DeviceInfo> devices = tornadoDeviceList();
        if (devices.isEmpty()) {
            return List.of("(TornadoVM found no devices: check the OpenCL/CUDA/Level Zero drivers)");
        }
        return devices.stream().map(DeviceInfo::line).toList();
    }

    private static Engine tornado(EngineOptions options) {
        if (!tornadoAvailable()) {
            throw new IllegalStateException(notAvailable());
        }
        try {
            return (Engine) Class.forName(TORNADO_ENGINE_CLASS).getConstructor(EngineOptions.class).newInstance(options);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot start the TornadoVM engine: " + rootMessage(e), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the TornadoVM engine: " + rootMessage(e), e);
        }
    }

    private static String notAvailable() {
        return "--engine tornado: this build or JVM has no TornadoVM. Point TORNADO_SDK at a TornadoVM SDK "
                + "(the folder with bin/tornado and tornado-argfile), then run through scripts/relu-tornado, "
                + "which builds with -Ptornado and starts Java with the SDK's argfile.";
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.toString();
    }
}
