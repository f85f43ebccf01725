package relutornado.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.engine.CpuKernels;
import relutornado.engine.DeviceKernels;
import relutornado.engine.EngineKind;
import relutornado.engine.EngineOptions;
import relutornado.model.Head;
import relutornado.model.ModelKind;
import relutornado.preprocess.Input;
import relutornado.report.RunReport;
import relutornado.train.Checkpoints;
import relutornado.train.Experiment;
import relutornado.train.ExperimentConfig;
import relutornado.train.RunFolder;
import relutornado.train.TrainConfig;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Cross-validate a model, evaluate it on the test set, write reports to --out.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "${COMPLETION-CANDIDATES}")
    DatasetName dataset;
    @Option(names = "--model", defaultValue = "ffnn", description = "ffnn or cnn (image sets only) (default: ${DEFAULT-VALUE})")
    ModelKind model;
    @Option(names = "--input", defaultValue = "pca",
            description = "image sets: pca (the author's: standardised pixels, PCA --pca; the CNN reads 256 components as 16x16) "
                    + "or pixels (the 28x28 images /255) (default: ${DEFAULT-VALUE})")
    Input input;
    @Option(names = "--head", defaultValue = "relu", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Head head;
    @Option(names = "--protocol", defaultValue = "sound",
            description = "sound: fresh model per fold, test by a model trained on all training data; "
                    + "paper: one model carried across folds, as the author did (default: ${DEFAULT-VALUE})")
    Protocol protocol;
    @Option(names = "--folds", defaultValue = "10", description = "stratified k-fold CV; 1 = one 90/10 split (default: ${DEFAULT-VALUE})")
    int folds;
    @Option(names = "--epochs", defaultValue = "32", description = "epochs per fold (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--batch", defaultValue = "256", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--seed", defaultValue = "10", description = "seed of every random choice (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--limit", defaultValue = "0", description = "use a stratified sample of N training rows; 0 = all")
    int limit;
    @Option(names = "--scale", description = "standardise WDBC features (the author trained on raw features)")
    boolean scale;
    @Option(names = "--pca", description = "PCA components for --input pca (default: " + DEFAULT_PCA + "; the CNN needs a square number); "
            + "0 = standardised pixels without PCA")
    Integer pca;

    /** The author's PCA components. */
    static final int DEFAULT_PCA = ExperimentConfig.PAPER_PCA;
    @Option(names = "--full-train", description = "train on all 60,000 images instead of the author's 55,000 (TensorFlow's train split)")
    boolean fullTrain;
    @Option(names = "--data-dir", defaultValue = "${env:RELU_TORNADO_DATA:-data}", description = "data folder (default: ${DEFAULT-VALUE})")
    Path dataDir;
    @Option(names = "--out", required = true, description = "output folder for the reports")
    Path out;
    @Option(names = "--overwrite", description = "replace the run in --out (its run files are deleted first); without it or --resume, "
            + "an --out that holds a run is refused")
    boolean overwrite;
    @Option(names = "--engine", defaultValue = "java", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    EngineKind engine;
    @Option(names = "--device", description = "TornadoVM device: BACKEND:DEVICE indices such as 0:0, or a name pattern "
            + "BACKEND[:TEXT] such as spirv:pocl or opencl:nvidia (see 'relu-tornado devices')")
    String device;
    @Option(names = "--threads", description = "threads of java-parallel (default: all cores)")
    Integer threads;
    @Option(names = "--profile", description = "collect TornadoVM profiler figures into folds.csv and run.json")
    boolean profile;
    @Option(names = "--cpu-kernels", defaultValue = "vector",
            description = "java-parallel: vector (Vector API GEMM for dense, convolution and PCA) or plain (the @Parallel kernels, "
                    + "bit-identical to --engine java, no Vector API module needed) (default: ${DEFAULT-VALUE})")
    CpuKernels cpuKernels;
    @Option(names = "--device-kernels", defaultValue = "tuned",
            description = "tornado: tuned (the device's best: vector on CPU devices, tiles elsewhere), tiles (4x4 register-tiled "
                    + "variants of the matrix kernels), vector (6x16 float16 tiles for the dense and convolution products, float8 Adam, tiles for the rest) or plain "
                    + "(the @Parallel kernels as written); every engine records it (default: ${DEFAULT-VALUE})")
    DeviceKernels deviceKernels;
    @Option(names = "--tuning", paramLabel = "FILE",
            description = "tornado with --device-kernels tuned: the device's tuning file from 'relu-tornado tune' (default: "
                    + "tuning/<device slug>.json when it exists, else the default rule, said on stderr and in run.json); java-parallel "
                    + "with --cpu-kernels vector: the GEMM tile's file from 'tune --device java-parallel' (default: "
                    + "tuning/java-parallel-<cpu slug>.json when it exists, else the width rule)")
    Path tuning;
    @Option(names = "--checkpoint-every", defaultValue = "1", paramLabel = "N",
            description = "write the training state (checkpoint.bin in --out) every N epochs within a fold, besides after each fold; "
                    + "0 = after folds only (default: ${DEFAULT-VALUE})")
    int checkpointEvery;
    @Option(names = "--resume", description = "continue the run in --out from its last checkpoint (results equal an uninterrupted run's)")
    boolean resume;

    /** Told of every finished epoch ('study cell' keeps the cell's heartbeat with it); not a flag. */
    Experiment.EpochListener onEpoch = (fold, epoch, seconds) -> { };

    /** The validated run configuration of these flags (what a study checks for each of its cells before it runs any). */
    ExperimentConfig config() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (tuning != null && engine != EngineKind.TORNADO && !(engine == EngineKind.JAVA_PARALLEL && cpuKernels == CpuKernels.VECTOR)) {
            throw new IllegalArgumentException("--tuning " + tuning + " needs --engine tornado or java-parallel with --cpu-kernels vector (engine is "
                    + engine + ", --cpu-kernels " + cpuKernels + ")");
        }
        EngineOptions engineOptions = new EngineOptions(engine, device, threads == null ? cores : threads, profile, cpuKernels,
                deviceKernels, tuning);
        TrainConfig train = new TrainConfig(epochs, batch, lr, TrainConfig.BETA1, TrainConfig.BETA2, TrainConfig.EPSILON, seed);
        // WDBC ignores --pca (so that scripts can pass one flag set to every data set); --pca given with
        // --input pixels is passed on, so that the config rejects it by name
        int components = !dataset.images() ? 0 : pca != null ? pca : input == Input.PIXELS ? 0 : DEFAULT_PCA;
        checkpoints(); // a study checks --checkpoint-every with the other flags
        return new ExperimentConfig(dataset, model, head, protocol, folds, train,
                limit, scale, components, !fullTrain, dataDir, out, engineOptions, input);
    }

    /** The validated --checkpoint-every and --resume. */
    Checkpoints checkpoints() {
        return new Checkpoints(checkpointEvery, resume);
    }

    @Override
    public Integer call() {
        ExperimentConfig cfg = config();
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        }
        boolean terminal = System.console() != null;
        RunReport.Results r;
        // one run per folder at a time; a folder holding a run only with --resume (continue) or --overwrite (replace)
        try (RunFolder folder = RunFolder.claim(out, resume ? RunFolder.Mode.RESUME
                : overwrite ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW)) {
            r = new Experiment(cfg, terminal).checkpoints(checkpoints()).onEpoch(onEpoch).run().results();
        }
        System.out.printf(Locale.ROOT, "%s %s-%s (%s): CV acc %.2f ± %.2f %%, test acc %.2f %%, weighted F1 %.3f -> %s%n",
                dataset, model, head, protocol, 100 * r.cvAccuracyMean(), 100 * r.cvAccuracyStd(), 100 * r.testAccuracy(),
                r.weightedAvg().f1(), out);
        return 0;
    }
}
