package relutornado.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import relutornado.engine.tuning.TuningFile;

/**
 * One TornadoVM device, as {@code devices} lists it, {@code device-check} picks its targets and a tuning file names it.
 *
 * @param id                BACKEND:DEVICE indices, the value of --device
 * @param backend           TornadoVM's backend (OpenCL, PTX, SPIRV)
 * @param name              the driver's name of the device
 * @param type              CPU, GPU, ACCELERATOR, ...
 * @param globalMemoryBytes the device's global memory
 * @param vendor            the device's vendor (OpenCL CL_DEVICE_VENDOR; the platform's name where the backend does not say)
 * @param driverVersion     the driver's version, or null where the backend does not say
 * @param openclVersion     the OpenCL C version the device compiles, or null
 * @param tornadoVersion    TornadoVM's version, or null
 * @param maxWorkGroup      the most work-items in one work-group (0: unknown)
 */
public record DeviceInfo(String id, String backend, String name, String type, long globalMemoryBytes, String vendor, String driverVersion,
                         String openclVersion, String tornadoVersion, long maxWorkGroup) {
    public DeviceInfo {
        if (id == null || !id.matches("\\d+:\\d+")) {
            throw new IllegalArgumentException("a TornadoVM device id is BACKEND:DEVICE indices such as 0:0, got '" + id + "'");
        }
    }

    /** A device known only by what {@code devices} lists. */
    public DeviceInfo(String id, String backend, String name, String type, long globalMemoryBytes) {
        this(id, backend, name, type, globalMemoryBytes, "unknown", null, null, null, 0);
    }

    /** One line as {@code tornado --devices} shows a device: id, backend, name, type, global memory in GiB. */
    public String line() {
        return String.format(Locale.ROOT, "%s  %-7s %-50s %-11s %.1f GiB", id, backend, name, type, globalMemoryBytes / (double) (1L << 30));
    }

    /** The device as its tuning file names it (with this host's CPU). */
    public TuningFile.Device tuningDevice() {
        return new TuningFile.Device(name, vendor, driverVersion, openclVersion, tornadoVersion, hostCpu());
    }

    /** The host CPU's model name from /proc/cpuinfo (as {@code lscpu} shows it), or the OS architecture elsewhere. */
    public static String hostCpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
