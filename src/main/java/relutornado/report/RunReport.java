package relutornado.report;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.engine.CpuKernels;
import relutornado.engine.DeviceInfo;
import relutornado.engine.DeviceKernels;
import relutornado.engine.tuning.TunedKernels;
import relutornado.io.AtomicFiles;
import relutornado.metrics.ClassificationReport;
import relutornado.model.Head;
import relutornado.model.ModelKind;

/**
 * What one {@code train} run was and measured: written as run.json (Gson, snake_case names, NaN and
 * infinities as null, enums by their flag); summary.md and result.csv are generated from it.
 */
public record RunReport(String tool, String created, Settings settings, EngineInfo engine, Data data, Results results,
                        Timings timings, Map<String, Double> profile, Environment environment) {

    /** The run's flags and the model they give. {@code input} is "features" for WDBC. */
    public record Settings(DatasetName dataset, ModelKind model, String architecture, int parameters, Head head, Protocol protocol,
                           int folds, int epochs, int batch, Optimizer optimizer, long seed, int limit, String input,
                           int[] inputShape, boolean scale, boolean paperSplit) {
    }

    public record Optimizer(String name, double lr, double beta1, double beta2, double epsilon) {
    }

    /**
     * {@code device} in words; {@code deviceIndex} the --device flag (null: the engine's default); {@code tornadoDevice}
     * the TornadoVM device that ran (its indices, backend, runtime, platform, driver and IL), null for the JVM engines.
     */
    public record EngineInfo(String name, String device, String deviceIndex, int threads, boolean profile, CpuKernels cpuKernels,
                             DeviceKernels deviceKernels, TunedKernels.Record kernelChoices, DeviceInfo tornadoDevice) {
    }

    public record Data(int trainRows, int testRows, int features, List<String> classes, List<SourceFile> files,
                       Preprocessing preprocessing) {
    }

    public record SourceFile(String path, String sha256) {
    }

    /** Each step that ran, or null: the scaler, the pixel scaling, PCA (components, explained variance ratio). */
    public record Preprocessing(String standardScaler, String pixels, Integer pcaComponents, double pcaExplainedVarianceRatio) {
    }

    /**
     * Accuracies are fractions; {@code testLoss} the test set's mean loss under the final model;
     * {@code trainSamplesPerSecond} the mean over epochs of training rows per second of wall time.
     */
    public record Results(double[] foldValAccuracy, double cvAccuracyMean, double cvAccuracyStd, double testAccuracy,
                          double testLoss, ClassificationReport.Averages weightedAvg, ClassificationReport.Averages macroAvg,
                          long deadOutputRows, DyingRelu dyingRelu, double trainSamplesPerSecond) {
    }

    /**
     * The dying-ReLU analysis on the validation rows (per-epoch values are in folds.csv): per hidden ReLU layer, and for
     * a ReLU head every class death and the dead classes at each fold's last epoch; both null for a softmax head.
     */
    public record DyingRelu(List<LayerActivity> layers, List<ClassDeath> classDeaths, double[] deadClassesLastEpoch) {
    }

    /**
     * One hidden ReLU layer: dead-unit fraction and sparsity (zero activations) at the last validated epoch, mean over
     * folds, and the largest dead-unit fraction of any epoch. A unit is a dense feature or a convolution channel.
     */
    public record LayerActivity(String layer, int units, double deadFractionLastEpoch, double maxDeadFraction,
                                double sparsityLastEpoch) {
    }

    /** A ReLU-head class that died: its output max(0, o) was 0 for every validation row of that fold and epoch. */
    public record ClassDeath(String className, int index, int fold, int epoch) {
    }

    /**
     * Wall times in seconds; {@code finalTrainingSeconds} NaN under the paper protocol (no final model); {@code epochs}
     * where each epoch's time went (the folds.csv columns of {@link EpochTime}), empty for rows recorded without it.
     */
    public record Timings(double preprocessSeconds, double cvSeconds, double finalTrainingSeconds, double testSeconds,
                          double totalSeconds, List<EpochTiming> epochs) {
    }

    /** One epoch's breakdown; fold 0 is the final model. */
    public record EpochTiming(int fold, int epoch, EpochTime time) {
    }

    /** Where the run ran; {@code host} the machine's name (a study's study.csv shows it per cell). */
    public record Environment(String java, String os, int cores, String host) {
    }

    /** JSON has no NaN or infinity: they are written as null and read back as NaN. */
    private static final TypeAdapter<Double> FINITE_OR_NULL = new TypeAdapter<>() {
        @Override
        public void write(JsonWriter out, Double v) throws IOException {
            if (v == null || v.isNaN() || v.isInfinite()) {
                out.nullValue();
            } else {
                out.value(v.doubleValue());
            }
        }

        @Override
        public Double read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return Double.NaN;
            }
            return in.nextDouble();
        }
    };

    /** Enums as their flag (toString: head "relu", protocol "sound"), as the CLI spells them. */
    private static final TypeAdapterFactory ENUM_FLAGS = new TypeAdapterFactory() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            Class<? super T> raw = type.getRawType();
            if (!raw.isEnum()) {
                return null;
            }
            return (TypeAdapter<T>) new TypeAdapter<Enum>() {
                @Override
                public void write(JsonWriter out, Enum v) throws IOException {
                    out.value(v == null ? null : v.toString());
                }

                @Override
                public Enum read(JsonReader in) throws IOException {
                    if (in.peek() == JsonToken.NULL) {
                        in.nextNull();
                        return null;
                    }
                    return Enum.valueOf((Class) raw, in.nextString().toUpperCase(Locale.ROOT));
                }
            };
        }
    };

    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .registerTypeAdapter(Double.class, FINITE_OR_NULL)
            .registerTypeAdapter(double.class, FINITE_OR_NULL)
            .registerTypeAdapterFactory(ENUM_FLAGS)
            .serializeNulls()
            .disableHtmlEscaping()
            .setPrettyPrinting()
            .create();

    public String toJson() {
        return GSON.toJson(this);
    }

    public static RunReport fromJson(String json) {
        return GSON.fromJson(json, RunReport.class);
    }

    /** run.json of a run folder. */
    public static RunReport read(Path runDir) throws IOException {
        return fromJson(Files.readString(runDir.resolve("run.json")));
    }

    /** Writes run.json, summary.md and result.csv into {@code dir}; each appears complete or not at all. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("run.json"), toJson() + "\n");
        AtomicFiles.writeString(dir.resolve("summary.md"), Summary.markdown(this));
        AtomicFiles.writeString(dir.resolve("result.csv"), PaperTable.resultCsv(PaperTable.Row.of(this)));
    }

    /** True when the image set's pixels were fed as they are (/255), not standardised. */
    public boolean pixels() {
        return data.preprocessing().pixels() != null;
    }
}
