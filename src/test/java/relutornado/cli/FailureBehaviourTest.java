package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.cli.CliRuns.Outcome;

/** What `train` does on a fault (docs/usage.md, Failure behaviour): the line the user sees, the exit code, what stays in --out. */
class FailureBehaviourTest {

    @TempDir
    Path tmp;

    private Outcome train(Path out, String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "wdbc", "--data-dir", CliRuns.wdbcDataDir().toString(), "--out", out.toString()));
        args.addAll(List.of(flags));
        return CliRuns.run(args.toArray(String[]::new));
    }

    /** The relu-tornado: lines of stderr (the per-epoch progress lines are not errors). */
    private static List<String> errors(String err) {
        return err.lines().filter(l -> l.startsWith("relu-tornado:")).toList();
    }

    @Test
    void aDivergingRunStopsWithOneLineExitCode3AndKeepsFinishedEpochs() throws IOException {
        Path out = tmp.resolve("diverged");
        Outcome o = train(out, "--lr", "1e9", "--folds", "2", "--epochs", "3", "--batch", "32");
        assertEquals(3, o.code(), o.err());
        List<String> errors = errors(o.err());
        assertEquals(1, errors.size(), o.err());
        String line = errors.get(0);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "relu-tornado: training diverged at (fold (\\d+)|final model), epoch (\\d+), batch \\d+: the batch loss is (NaN|-?Infinity);"
                        + " first non-finite layer dense\\d+(\\.[Wb])? \\((weights|Adam m|Adam v|activations)\\) \\(try a smaller --lr\\)").matcher(line);
        assertTrue(m.matches(), line);
        assertEquals(line.substring("relu-tornado: ".length()), Files.readString(out.resolve("failed.txt")).strip());
        // every epoch finished before the fault is in folds.csv (2 folds x 3 epochs, then the final model)
        int fold = m.group(2) == null ? 3 : Integer.parseInt(m.group(2));
        int finished = (fold - 1) * 3 + Integer.parseInt(m.group(3)) - 1;
        assertEquals(1 + finished, Files.readAllLines(out.resolve("folds.csv")).size(), "header + finished epochs");
        assertFalse(Files.exists(out.resolve("result.csv")), "no result of a run that did not finish");
        assertFalse(Files.exists(out.resolve(relutornado.train.RunFolder.LOCK)), "the lock is released");
        // run again in the same folder with a sane learning rate (its checkpoint, if any, is of other settings: dropped),
        // the run finishes and the fault note goes
        Files.deleteIfExists(out.resolve("checkpoint.bin"));
        Outcome resumed = train(out, "--lr", "1e-3", "--folds", "2", "--epochs", "3", "--batch", "32", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertFalse(Files.exists(out.resolve("failed.txt")), "a finished run has no fault note");
        assertTrue(Files.isRegularFile(out.resolve("result.csv")));
        System.err.println("diverged: " + line);
    }

    @Test
    void aFolderHoldingARunIsRefusedAndOverwriteReplacesIt() throws IOException {
        Path out = tmp.resolve("run");
        String[] quick = {"--folds", "2", "--epochs", "1"};
        assertEquals(0, train(out, quick).code());
        String first = Files.readString(out.resolve("result.csv"));

        Outcome again = train(out, quick);
        assertEquals(2, again.code(), again.err());
        assertEquals(List.of("relu-tornado: --out " + out + " already holds a run (run.json, result.csv, summary.md, folds.csv,"
                + " metrics.csv, confusion.csv, predictions.csv, report.html, accuracy.png, loss.png, confusion.png, dead_units.png,"
                + " sparsity.png); pass --overwrite to replace it, --resume to continue it, or choose another --out"),
                errors(again.err()));
        assertEquals(first, Files.readString(out.resolve("result.csv")), "the refused run touched nothing");

        Outcome both = train(out, "--resume", "--overwrite");
        assertEquals(2, both.code(), both.err());
        assertEquals(List.of("relu-tornado: --resume and --overwrite exclude each other"), errors(both.err()));

        Files.writeString(out.resolve("failed.txt"), "an older fault");
        assertEquals(0, train(out, "--folds", "2", "--epochs", "1", "--overwrite").code());
        assertFalse(Files.exists(out.resolve("failed.txt")), "--overwrite removes the old run's files");
        assertTrue(Files.isRegularFile(out.resolve("result.csv")));
        try (var files = Files.list(out)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
                    "no lock or temporary file left behind");
        }
    }
}
