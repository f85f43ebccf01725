package relutornado.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the loader fuzz tests share: each input goes through a real file (the loaders' own path, gzip
 * detection included), and the one contract every loader keeps: a file loads, or it fails with a
 * {@link DataFormatException} whose message starts with the file's path. Any other throwable is a finding.
 */
final class FuzzChecks {

    /** Fewer executions than this in fuzzing mode means Jazzer ran only the seeds, not a fuzzing session. */
    static final long MIN_FUZZ_EXECUTIONS = 1_000;

    private FuzzChecks() {
    }

    /** True when Jazzer runs in fuzzing mode (JAZZER_FUZZ set, as the `fuzz` Surefire execution does). */
    static boolean fuzzing() {
        String v = System.getProperty("JAZZER_FUZZ", System.getenv("JAZZER_FUZZ"));
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the loader on the file; a DataFormatException must name the file first, anything else propagates. */
    static <T> T loadOrNamedError(Path file, java.util.function.Function<Path, T> loader) {
        try {
            return loader.apply(file);
        } catch (DataFormatException e) {
            String message = e.getMessage();
            if (message == null || !message.startsWith(file + ": ") || message.length() <= (file + ": ").length()) {
                throw new AssertionError("data-format error without the file name first: " + message, e);
            }
            return null;
        }
    }

    /** Called after all inputs: in fuzzing mode a session must have run, not just the seeds. */
    static void checkFuzzed(String test, AtomicLong executions) {
        if (fuzzing()) {
            assertTrue(executions.get() >= MIN_FUZZ_EXECUTIONS, test + " ran " + executions.get()
                    + " inputs in fuzzing mode, expected at least " + MIN_FUZZ_EXECUTIONS + ": Jazzer did not fuzz");
        }
        System.err.println(test + ": " + executions.get() + " inputs (" + (fuzzing() ? "fuzzing" : "regression") + " mode)");
    }
}
