package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad flag is a one-line error naming the flag, with exit code 2. */
class CliTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--head|foo|Invalid value for option '--head'",
        "--dataset|cifar|Invalid value for option '--dataset'",
        "--protocol|loose|Invalid value for option '--protocol'",
        "--folds|0|--folds must be in 1..100",
        "--epochs|0|--epochs must be >= 1",
        "--batch|-1|--batch must be >= 1",
        "--engine|cuda|Invalid value for option '--engine': expected one of [java, java-parallel, tornado] but was 'cuda'",
        "--cpu-kernels|avx|Invalid value for option '--cpu-kernels': expected one of [vector, plain] but was 'avx'",
        "--device-kernels|fast|Invalid value for option '--device-kernels': expected one of [plain, tuned, tiles, vector] but was 'fast'",
        "--threads|0|Invalid value for option '--threads': expected >= 1 but was '0'",
        "--threads|many|Invalid value for option '--threads'",
        "--checkpoint-every|-1|--checkpoint-every must be >= 0",
        "--checkpoint-every|often|Invalid value for option '--checkpoint-every'",
        "--device|gpu0|Invalid value for option '--device': expected BACKEND:DEVICE",
        "--limit|-5|--limit must be >= 0",
        "--model|rnn|Invalid value for option '--model'",
        "--lr|0|--lr must be > 0",
    })
    void badFlagsAreClearErrors(String flag, String value, String message) {
        String[] args = {"train", "--dataset", "wdbc", "--out", tmp.resolve("o").toString(),
            "--data-dir", tmp.toString(), flag, value};
        CliRuns.Outcome o = CliRuns.run(args);
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(message), "stderr: " + o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
    }

    /** Every flag that takes a fixed set of words reads its value the same way, in any case. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--engine JAVA-Parallel --cpu-kernels PLAIN --device-kernels Tiles --head ReLU --dataset WDBC",
        "--engine tornado --device-kernels vector",
    })
    void wordFlagsTakeTheirWordsInAnyCase(String flags) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--dataset", "wdbc", "--out", tmp.resolve("o").toString()));
        args.addAll(java.util.List.of(flags.split(" ")));
        TrainCommand t = StudyCommand.parseTrain(args);
        assertEquals(flags.contains("Tiles") ? "tiles" : "vector", t.deviceKernels.toString());
        assertEquals(flags.contains("PLAIN") ? "plain" : "vector", t.cpuKernels.toString());
    }

    /** The other commands' word flags: the same error as train's. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "study run --executor pbs --out OUT study.yaml|--executor|expected one of [local, slurm] but was 'pbs'",
        "device-check --device-kernels tuned,fast --out OUT|--device-kernels|expected one of [plain, tuned, tiles, vector] but was 'fast'",
    })
    void otherCommandsWordFlagsReadTheSame(String command, String flag, String message) {
        String[] args = command.replace("OUT", tmp.resolve("o").toString()).split(" ");
        CliRuns.Outcome o = CliRuns.run(args);
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("Invalid value for option '" + flag + "'") && o.err().contains(message), "stderr: " + o.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--dataset wdbc --model cnn|--model cnn needs an image data set",
        "--dataset wdbc --input pixels|--input pixels applies to the image sets",
        "--dataset mnist --input jpeg|Invalid value for option '--input'",
        "--dataset mnist --input pixels --pca 256|--pca applies to --input pca",
        "--dataset fashion --input pixels --scale|--scale applies to wdbc",
        "--dataset mnist --model cnn --pca 300|--pca must be a square number",
        "--dataset mnist --model cnn --pca 144|--pca 144 gives a 12x12 image, too small for --model cnn",
        "--dataset mnist --model mlp|Invalid value for option '--model'",
    })
    void badModelAndInputCombinationsAreClearErrors(String flags, String message) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--out", tmp.resolve("o").toString(),
                "--data-dir", tmp.toString()));
        args.addAll(java.util.List.of(flags.split(" ")));
        CliRuns.Outcome o = CliRuns.run(args.toArray(String[]::new));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(message), "stderr: " + o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
    }

    @ParameterizedTest
    @CsvSource({"wdbc", "mnist"})
    void missingDataNamesThePathsAndTheSetUpScript(String dataset) {
        CliRuns.Outcome o = CliRuns.run("train", "--dataset", dataset, "--data-dir", tmp.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(tmp.toString()), "stderr: " + o.err());
        assertTrue(o.err().contains("setup.sh"), "stderr: " + o.err());
    }
}
