package relutornado.engine;

import java.util.Locale;

/**
 * One TornadoVM device, as {@code devices} lists it and {@code device-check} picks its targets.
 *
 * @param id                BACKEND:DEVICE indices, the value of --device
 * @param backend           TornadoVM's backend (OpenCL, PTX, SPIRV)
 * @param name              the driver's name of the device
 * @param type              CPU, GPU, ACCELERATOR, ...
 * @param globalMemoryBytes the device's global memory
 */
public record DeviceInfo(String id, String backend, String name, String type, long globalMemoryBytes) {
    public DeviceInfo {
        if (id == null || !id.matches("\\d+:\\d+")) {
            throw new IllegalArgumentException("a TornadoVM device id is BACKEND:DEVICE indices such as 0:0, got '" + id + "'");
        }
    }

    /** One line as {@code tornado --devices} shows a device: id, backend, name, type, global memory in GiB. */
    public String line() {
        return String.format(Locale.ROOT, "%s  %-7s %-50s %-11s %.1f GiB", id, backend, name, type, globalMemoryBytes / (double) (1L << 30));
    }
}
