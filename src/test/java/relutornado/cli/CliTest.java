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
        "--engine|cuda|--engine must be one of",
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
