package relutornado.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relutornado.check.JvmTuner;
import relutornado.check.Tuner;
import relutornado.engine.tuning.JvmTuning;
import relutornado.engine.tuning.TuningFile;

/**
 * {@code relu-tornado tune}: times every kernel candidate for the models' product shapes on one TornadoVM device and
 * writes the device's tuning file ({@link Tuner}), which {@code --device-kernels tuned} then reads; with
 * {@code --device java-parallel}, the JVM's GEMM tile ({@link JvmTuner}), which java-parallel reads.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Time every kernel candidate per product shape on a TornadoVM device; writes the device's tuning file.")
final class TuneCommand implements Callable<Integer> {
    @Option(names = "--device", required = true, description = "TornadoVM device as BACKEND:DEVICE, e.g. 0:0 (see 'relu-tornado devices'), or java-parallel (its GEMM tile)")
    String device;
    @Option(names = "--tuning", paramLabel = "FILE", description = "the tuning file to write or update in place "
            + "(default: tuning/<device slug>.json, where training looks for it)")
    Path tuning;
    @Option(names = "--models", split = ",", defaultValue = "ffnn,cnn,cnn-pixels",
            description = "models whose product shapes are tuned: ffnn, cnn (the paper's CNN on PCA input), cnn-pixels (default: ${DEFAULT-VALUE})")
    List<String> models;
    @Option(names = "--budget", defaultValue = "8", paramLabel = "MINUTES",
            description = "no candidate starts after this many minutes (default: ${DEFAULT-VALUE})")
    double budget;
    @Option(names = "--seconds", defaultValue = "0.2", description = "time per candidate after its warm-up runs (default: ${DEFAULT-VALUE})")
    double seconds;
    @Option(names = "--threads", description = "java-parallel: its threads (default: the cores)")
    Integer threads;
    @Option(names = "--gemm-size", defaultValue = "2048", paramLabel = "N",
            description = "java-parallel: an N×N×N GEMM measured beside the models' shapes, not ranked; 0 for none (default: ${DEFAULT-VALUE})")
    int gemmSize;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (device.equals(JvmTuner.DEVICE)) {
            JvmTuner.run(new JvmTuner.Options(tuning != null ? tuning : JvmTuning.defaultPath(TuningFile.DEFAULT_DIR), models, budget, seconds,
                    threads != null ? threads : Runtime.getRuntime().availableProcessors(), gemmSize), System.out);
            return 0;
        }
        Path file = tuning;
        if (file == null) {
            file = TuningFile.defaultPath(TuningFile.DEFAULT_DIR, Tuner.deviceInfo(device).tuningDevice());
        }
        Tuner.run(new Tuner.Options(device, file, models, budget, seconds), System.out);
        return 0;
    }
}
