package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relutornado.cli.Main;
import relutornado.data.SyntheticWdbc;

/** Run and study folders made by the CLI on a small synthetic WDBC-layout file, for the report tests. */
final class ReportFixtures {
    private ReportFixtures() {
    }

    /** A two-class problem in sklearn's breast_cancer.csv layout (30 features), separable on the first ten. */
    static Path syntheticWdbc(Path dataDir, int rows) throws IOException {
        SyntheticWdbc.write(dataDir, rows);
        return dataDir;
    }

    /** {@code relu-tornado train} on the synthetic data into {@code out}; extra flags after the defaults. */
    static Path train(Path dataDir, Path out, String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "wdbc", "--model", "ffnn", "--scale", "--folds", "3",
                "--epochs", "3", "--batch", "16", "--lr", "0.01", "--engine", "java", "--data-dir", dataDir.toString(), "--out", out.toString()));
        args.addAll(List.of(flags));
        assertEquals(0, Main.run(args.toArray(String[]::new)), "train " + args);
        return out;
    }

    /** A study folder as `study run` leaves it: cells/ID are ordinary run folders (two seeds × two heads). */
    static List<Path> study(Path dataDir, Path studyDir) {
        List<Path> cells = new ArrayList<>();
        for (String head : List.of("relu", "softmax")) {
            for (String seed : List.of("1", "2")) {
                cells.add(train(dataDir, studyDir.resolve("cells").resolve(head + "-s" + seed), "--head", head, "--seed", seed,
                        "--protocol", "paper"));
            }
        }
        return cells;
    }

    /** Adds made-up TornadoVM profiler columns (as --profile writes them) to a run's folds.csv. */
    static void addProfilerColumns(Path runDir) throws IOException {
        List<EpochRow> rows = CsvReports.readFolds(runDir.resolve("folds.csv"));
        List<EpochRow> out = new ArrayList<>();
        int i = 0;
        for (EpochRow r : rows) {
            Map<String, Double> extra = new LinkedHashMap<>(r.extra());
            extra.put("kernel_ns", 4e8 + 1e7 * i);
            extra.put("copy_in_ns", 1e8);
            extra.put("copy_out_ns", 5e7);
            extra.put("copy_in_bytes", 1e6);
            extra.put("copy_out_bytes", 2e5);
            extra.put("compile_ns", i == 0 ? 2e9 : 0);
            extra.put("total_ns", 6e8);
            out.add(new EpochRow(r.fold(), r.epoch(), r.trainLoss(), r.trainAcc(), r.valLoss(), r.valAcc(), r.deadOutputRows(), extra));
            i++;
        }
        CsvReports.writeFolds(runDir.resolve("folds.csv"), out);
    }
}
