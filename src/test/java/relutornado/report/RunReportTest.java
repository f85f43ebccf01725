package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.engine.CpuKernels;
import relutornado.engine.DeviceInfo;
import relutornado.engine.DeviceKernels;
import relutornado.metrics.ClassificationReport;
import relutornado.model.Head;
import relutornado.model.ModelKind;

class RunReportTest {

    /** A paper-protocol WDBC run on one split: its CV sd and final-training time are NaN. */
    static RunReport sample() {
        ClassificationReport.Averages avg = new ClassificationReport.Averages(0.9, 0.8, 0.85, 171);
        return new RunReport("relu-tornado", "2026-11-29T10:00:00Z",
                new RunReport.Settings(DatasetName.WDBC, ModelKind.FFNN, "30 → dense 128 → 2", 6_400, Head.RELU, Protocol.PAPER, 1, 32, 256,
                        new RunReport.Optimizer("adam", 1e-3, 0.9, 0.999, 1e-8), 10, 0, "features", new int[] {30}, true, true),
                new RunReport.EngineInfo("tornado", "0:1 OPENCL \"CPU\" é", "0:1", 2, true, CpuKernels.VECTOR, DeviceKernels.TUNED, null,
                        new DeviceInfo("0:1", "SPIRV", "OPENCL", "Portable Computing Language", "cpu-x86-64-v3", "CPU", 1L << 33,
                                "3.1", "OpenCL 3.0 PoCL 3.1 Linux, RELOC, SPIR-V, LLVM 15.0.6", "SPIR-V")),
                new RunReport.Data(398, 171, 30, List.of("malignant", "benign"),
                        List.of(new RunReport.SourceFile("data/wdbc/breast_cancer.csv", "ab12")),
                        new RunReport.Preprocessing("fitted on the training set", null, null, Double.NaN)),
                new RunReport.Results(new double[] {0.91}, 0.91, Double.NaN, 0.93, Double.POSITIVE_INFINITY, avg, avg, 3, null, Double.NaN),
                new RunReport.Timings(0.1, 2.5, Double.NaN, 0.01, 2.7, List.of()),
                Map.of("kernel_ns", 5e8),
                new RunReport.Environment("25", "Linux amd64", 2, "node-1"));
    }

    @Test
    void fieldNamesAreSnakeCaseAndNaNIsNull() {
        JsonObject o = JsonParser.parseString(sample().toJson()).getAsJsonObject();
        assertEquals(Set.of("tool", "created", "settings", "engine", "data", "results", "timings", "profile", "environment"),
                o.keySet());
        JsonObject settings = o.getAsJsonObject("settings");
        assertEquals("relu", settings.get("head").getAsString());
        assertEquals("paper", settings.get("protocol").getAsString());
        assertEquals(30, settings.getAsJsonArray("input_shape").get(0).getAsInt());
        assertTrue(settings.get("paper_split").getAsBoolean());
        assertEquals(1e-8, settings.getAsJsonObject("optimizer").get("epsilon").getAsDouble());
        assertEquals("0:1", o.getAsJsonObject("engine").get("device_index").getAsString());
        assertEquals("vector", o.getAsJsonObject("engine").get("cpu_kernels").getAsString());
        JsonObject data = o.getAsJsonObject("data");
        assertEquals(398, data.get("train_rows").getAsInt());
        assertEquals("ab12", data.getAsJsonArray("files").get(0).getAsJsonObject().get("sha256").getAsString());
        JsonObject pre = data.getAsJsonObject("preprocessing");
        assertEquals("fitted on the training set", pre.get("standard_scaler").getAsString());
        assertTrue(pre.get("pca_components").isJsonNull() && pre.get("pca_explained_variance_ratio").isJsonNull());
        JsonObject results = o.getAsJsonObject("results");
        assertEquals(0.91, results.getAsJsonArray("fold_val_accuracy").get(0).getAsDouble());
        assertTrue(results.get("cv_accuracy_std").isJsonNull(), "NaN -> null");
        assertTrue(results.get("test_loss").isJsonNull(), "infinity -> null");
        assertEquals(0.85, results.getAsJsonObject("weighted_avg").get("f1").getAsDouble());
        assertEquals(3, results.get("dead_output_rows").getAsLong());
        assertTrue(o.getAsJsonObject("timings").get("final_training_seconds").isJsonNull());
        assertEquals(5e8, o.getAsJsonObject("profile").get("kernel_ns").getAsDouble());
    }

    @Test
    void roundTripsThroughGson() {
        String json = sample().toJson();
        RunReport back = RunReport.fromJson(json);
        assertEquals(json, back.toJson());
        assertEquals(Head.RELU, back.settings().head());
        assertTrue(Double.isNaN(back.results().cvAccuracyStd()));
        assertEquals("0:1 OPENCL \"CPU\" é", back.engine().device());
        assertEquals(sample().engine().tornadoDevice(), back.engine().tornadoDevice());
        assertTrue(json.contains("\"runtime\": \"OPENCL\"") && json.contains("\"il\": \"SPIR-V\""), json);
    }

    @Test
    void summaryAndResultCsvComeFromTheRecord(@TempDir Path tmp) throws IOException {
        sample().write(tmp);
        assertEquals(sample().settings().seed(), RunReport.read(tmp).settings().seed());
        PaperTable.Row row = PaperTable.readResult(tmp.resolve("result.csv"));
        assertEquals(new PaperTable.Row(DatasetName.WDBC, ModelKind.FFNN, Head.RELU, Protocol.PAPER, "standardised", 0.91, Double.NaN, 0.93, 0.9, 0.8, 0.85,
                398, 32, 1, "tornado 0:1", "tuned", 2.7), row);
        String md = Files.readString(tmp.resolve("summary.md"));
        assertTrue(md.startsWith("# paper FFNN-ReLU on wdbc\n"), md);
        assertTrue(md.contains("| 91.00 ± NaN | 93.00 | 0.90 / 0.80 / 0.85 | 3 |"), md);
        assertTrue(md.contains("input features, standardised\n") && !md.contains("final training"), md);
        try (var files = Files.list(tmp)) {
            assertEquals(Set.of("run.json", "summary.md", "result.csv"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
        }
    }
}
