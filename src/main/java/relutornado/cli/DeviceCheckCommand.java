package relutornado.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relutornado.check.DeviceCheckReport;
import relutornado.check.DeviceCheckRun;
import relutornado.engine.DeviceKernels;

/**
 * {@code relu-tornado device-check}: on each TornadoVM device, every kernel (plain and tuned) against the JVM,
 * GFLOP/s of the GEMM-shaped kernels, samples/s of one training step per model, and a short training with its
 * test accuracy, each beside java-parallel's figure from the same run ({@link DeviceCheckRun}); a device without a
 * tuning file is tuned first (--tune, {@link relutornado.check.Tuner}) and its file copied to OUT/tuning/. Writes
 * device-check.md and device-check.csv (one figure per line) to --out; exits 1 when a kernel is wrong on a device.
 */
@Command(name = "device-check", mixinStandardHelpOptions = true,
        description = "Check and time every TornadoVM device against the JVM; writes OUT/device-check.md and .csv.")
final class DeviceCheckCommand implements Callable<Integer> {
    @Option(names = "--devices", split = ",", description = "TornadoVM devices as --device takes them, "
            + "BACKEND:DEVICE or a name pattern such as spirv:pocl (default: every device TornadoVM lists)")
    List<String> devices;
    @Option(names = "--device-kernels", split = ",", defaultValue = "plain,tuned",
            description = "device kernels to check and time: any of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<DeviceKernels> kernels;
    @Option(names = "--seconds", defaultValue = "1.0", description = "time per timed figure after its first (compiling) run (default: ${DEFAULT-VALUE})")
    double seconds;
    @Option(names = "--tuning", paramLabel = "FILE", description = "the tuning file of the one device named by --devices, for its "
            + "tuned kernels (default: each device's tuning/<device slug>.json when it exists)")
    Path tuning;
    @Option(names = "--tune", negatable = true, description = "tune each device first (relu-tornado tune's tuner) into its tuning file: "
            + "--tuning, else tuning/<device slug>.json; then check with it. Default: tune a device that has no tuning file when "
            + "its tuned kernels are checked or trained; --no-tune never tunes")
    Boolean tune;
    @Option(names = "--tune-budget", defaultValue = "5", paramLabel = "MINUTES",
            description = "the tuner's budget per device, as tune's --budget (default: ${DEFAULT-VALUE})")
    double tuneBudget;
    @Option(names = "--tune-models", split = ",", defaultValue = "ffnn,cnn,cnn-pixels",
            description = "models whose product shapes are tuned, as tune's --models (default: ${DEFAULT-VALUE})")
    List<String> tuneModels;
    @Option(names = "--tune-seconds", defaultValue = "0.2", description = "time per candidate, as tune's --seconds (default: ${DEFAULT-VALUE})")
    double tuneSeconds;
    @Option(names = "--no-training", description = "skip the short trainings")
    boolean noTraining;
    @Option(names = "--data-dir", defaultValue = "${env:RELU_TORNADO_DATA:-data}", description = "data folder (default: ${DEFAULT-VALUE})")
    Path dataDir;
    @Option(names = "--out", defaultValue = "runs/device-check", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<DeviceKernels> kinds = kernels.stream().distinct().toList();
        DeviceCheckRun.Options options = new DeviceCheckRun.Options(devices, kinds, seconds, !noTraining, dataDir, out, tuning,
                new DeviceCheckRun.Tune(tune, tuneBudget, tuneModels, tuneSeconds));
        long t0 = System.nanoTime();
        DeviceCheckReport report = DeviceCheckRun.run(options);
        double minutes = (System.nanoTime() - t0) / 6e10;
        Path csv = out.resolve("device-check.csv");
        Path md = out.resolve("device-check.md");
        report.writeCsv(csv);
        report.writeMarkdown(md, minutes);
        System.out.printf(Locale.ROOT, "device-check: %.1f min; wrote %s and %s%n", minutes, md, csv);
        return report.anyKernelWrong() ? 1 : 0;
    }
}
