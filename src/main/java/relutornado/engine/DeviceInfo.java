package relutornado.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import relutornado.engine.tuning.TuningFile;

/**
 * One TornadoVM device, as {@code devices} lists it, {@code --device} selects it, run.json records it and a tuning file
 * names it.
 *
 * @param id                BACKEND:DEVICE indices (TornadoVM's numbering, which changes with the backends built in)
 * @param backend           TornadoVM's backend (OPENCL, PTX, SPIRV)
 * @param runtime           what runs the backend's code: OpenCL, CUDA, or for SPIR-V its runtime (OPENCL, LEVEL_ZERO)
 * @param platform          the platform's name (Portable Computing Language, NVIDIA CUDA, Intel(R) Level-Zero, ...)
 * @param name              the driver's name of the device
 * @param type              CPU, GPU, ACCELERATOR, ...
 * @param globalMemoryBytes the device's global memory
 * @param driver            the driver's version, or null where the runtime does not say
 * @param version           the device's version string (OpenCL: CL_DEVICE_VERSION, e.g. "OpenCL 3.0 PoCL 3.1 ... SPIR-V"),
 *                          or null
 * @param il                the intermediate language the device ingests: "SPIR-V" when TornadoVM reports SPIR-V &gt;= 1.2
 *                          (OpenCL's cl_khr_il_program / CL_DEVICE_IL_VERSION), else null
 * @param vendor            the device's vendor (OpenCL CL_DEVICE_VENDOR; the platform's name where the runtime does not say)
 * @param openclVersion     the OpenCL C version the device compiles, or null
 * @param tornadoVersion    TornadoVM's version, or null
 * @param maxWorkGroup      the most work-items in one work-group (0: unknown)
 */
public record DeviceInfo(String id, String backend, String runtime, String platform, String name, String type,
                         long globalMemoryBytes, String driver, String version, String il, String vendor, String openclVersion,
                         String tornadoVersion, long maxWorkGroup) {
    /** TornadoVM's backends by the word a --device pattern starts with. */
    public static final List<String> BACKENDS = List.of("opencl", "spirv", "ptx");

    public DeviceInfo {
        if (id == null || !isIndex(id)) {
            throw new IllegalArgumentException("a TornadoVM device id is BACKEND:DEVICE indices such as 0:0, got '" + id + "'");
        }
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(name, "name");
    }

    /** A device known by what {@code devices} lists (no vendor, OpenCL C or TornadoVM version, work-group limit). */
    public DeviceInfo(String id, String backend, String runtime, String platform, String name, String type, long globalMemoryBytes,
                      String driver, String version, String il) {
        this(id, backend, runtime, platform, name, type, globalMemoryBytes, driver, version, il, platform == null ? "unknown" : platform,
                null, null, 0);
    }

    /** True for BACKEND:DEVICE indices such as 0:0. */
    public static boolean isIndex(String device) {
        return device.matches("\\d+:\\d+");
    }

    /**
     * True for a value --device accepts: indices, or a name pattern {@code BACKEND[:TEXT]} (see {@link #select}); the
     * CLI rejects anything else before TornadoVM starts.
     */
    public static boolean isDeviceFlag(String device) {
        return device != null && (isIndex(device) || device.matches("(?i)(" + String.join("|", BACKENDS) + ")(:[^,]+)?"));
    }

    /**
     * The device --device names. Indices select by position; a pattern {@code BACKEND:TEXT} (backend one of
     * {@link #BACKENDS}, case-insensitive) selects the devices of that backend whose runtime, platform, name, driver or
     * version contains TEXT (case-insensitive; {@code spirv:pocl}, {@code opencl:nvidia}); {@code BACKEND} alone selects
     * the backend's only device. The pattern must select exactly one device.
     */
    public static DeviceInfo select(String device, List<DeviceInfo> devices) {
        List<DeviceInfo> matches = devices.stream().filter(d -> d.matches(device)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        String listing = devices.isEmpty() ? "(TornadoVM lists no devices)" : String.join("\n  ", devices.stream().map(DeviceInfo::line).toList());
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("--device " + device + (isIndex(device) ? " does not exist"
                    : " matches no TornadoVM device (a pattern is BACKEND[:TEXT], BACKEND one of " + BACKENDS + ", TEXT part of the "
                    + "runtime, platform, device name, driver or version)") + "; TornadoVM devices:\n  " + listing);
        }
        throw new IllegalArgumentException("--device " + device + " matches " + matches.size() + " TornadoVM devices: "
                + String.join(", ", matches.stream().map(DeviceInfo::id).toList()) + "; give more of the name, or the index:\n  " + listing);
    }

    /** Whether the --device value names this device (see {@link #select}). */
    public boolean matches(String device) {
        if (isIndex(device)) {
            return id.equals(device);
        }
        String p = device.toLowerCase(Locale.ROOT);
        int colon = p.indexOf(':');
        String head = colon < 0 ? p : p.substring(0, colon);
        return backend.toLowerCase(Locale.ROOT).equals(head) && (colon < 0 || haystack().contains(p.substring(colon + 1)));
    }

    private String haystack() {
        return Stream.of(runtime, platform, name, driver, version).filter(Objects::nonNull)
                .map(s -> s.toLowerCase(Locale.ROOT)).reduce("", (a, b) -> a + " | " + b);
    }

    /**
     * One line per device: id (the first word, which scripts read), backend, runtime, platform, name, type, global
     * memory in GiB, driver and the IL it ingests.
     */
    public String line() {
        return String.format(Locale.ROOT, "%s  %-7s %-7s %-28s %-40s %-11s %.1f GiB  driver %s%s", id, backend, runtime, platform,
                name, type, globalMemoryBytes / (double) (1L << 30), driver == null ? "?" : driver, il == null ? "" : ", IL " + il);
    }

    /** The device as its tuning file names it (with this host's CPU). */
    public TuningFile.Device tuningDevice() {
        return new TuningFile.Device(name, vendor, driver, openclVersion, tornadoVersion, hostCpu());
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
