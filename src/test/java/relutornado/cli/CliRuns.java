package relutornado.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Test support for the CLI tests: {@link Main#run} with stderr (and stdout) captured, and the real WDBC data dir. */
final class CliRuns {
    private CliRuns() {
    }

    /** A CLI run's exit code and everything it wrote to stderr. */
    record Outcome(int code, String err) {
    }

    /** {@code relu-tornado args...} in this JVM, stderr captured (and restored afterwards). */
    static Outcome run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            code = Main.run(args);
        } finally {
            System.setErr(old);
        }
        return new Outcome(code, err.toString());
    }

    /** A CLI run's exit code and everything it printed to stdout and stderr. */
    record Printed(int code, String out, String err) {
    }

    /** {@code relu-tornado args...} in this JVM, stdout and stderr captured (and restored afterwards). */
    static Printed runPrinting(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        Outcome outcome;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            outcome = run(args);
        } finally {
            System.setOut(old);
        }
        return new Printed(outcome.code(), out.toString(StandardCharsets.UTF_8), outcome.err());
    }

    /** The data dir ({@code -Drelutornado.dataDir}, default data/); skips the calling test (an assumption) where WDBC is not in it. */
    static Path wdbcDataDir() {
        Path data = Path.of(System.getProperty("relutornado.dataDir", "data"));
        Assumptions.assumeTrue(Files.isRegularFile(data.resolve("wdbc/breast_cancer.csv")) || Files.isRegularFile(data.resolve("wdbc/wdbc.data")),
                "WDBC not in " + data + " (scripts/setup.sh puts it there)");
        return data;
    }
}
