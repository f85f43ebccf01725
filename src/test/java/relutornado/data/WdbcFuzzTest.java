package relutornado.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the WDBC CSV reader (UCI and sklearn layouts) with Jazzer: every byte string either loads
 * into finite features and labels 0/1, or fails with a {@link DataFormatException} naming the file.
 * Crash inputs found by fuzzing go to {@code WdbcFuzzTestInputs/wdbcFilesLoadOrFailNamingTheFile}.
 */
class WdbcFuzzTest {

    private static final AtomicLong EXECUTIONS = new AtomicLong();
    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("relu-tornado-wdbc-fuzz");
    }

    @AfterAll
    static void checkFuzzed() throws IOException {
        FuzzChecks.checkFuzzed("WdbcFuzzTest", EXECUTIONS);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    static Stream<byte[]> seeds() {
        return Stream.of(
                WdbcReaderTest.sklearn(new int[] {0, 1}),
                WdbcReaderTest.uci(new String[] {"M", "B"}),
                "1,30,malignant,benign\n" + "1e3,".repeat(30) + "1\n",
                "\"1\",\"M\"," + "-0.5,".repeat(29) + ".5\r\n")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("seeds")
    // entries in libFuzzer dictionary syntax (Jazzer writes them verbatim): \x0a newline, \x22 double quote
    @DictionaryEntries({",", "\\x0a", "\\x0d\\x0a", "\\x22", "M", "B", "malignant", "benign", ",30,", "NaN", "Infinity",
            "1e39", "e-", "0x1p3", "1f"})
    @FuzzTest(maxDuration = "30s")
    void wdbcFilesLoadOrFailNamingTheFile(byte[] content) {
        EXECUTIONS.incrementAndGet();
        Path file = FuzzChecks.write(dir.resolve("input.csv"), content);
        Dataset d = FuzzChecks.loadOrNamedError(file, WdbcReader::read);
        if (d != null) {
            assertTrue(d.rows() > 0, "loaded with no rows");
            assertEquals(WdbcReader.FEATURES, d.features());
            assertEquals((long) d.rows() * d.features(), d.x().length);
            for (float v : d.x()) {
                assertTrue(Float.isFinite(v), "non-finite feature " + v);
            }
            for (int y : d.y()) {
                assertTrue(y == WdbcReader.MALIGNANT || y == WdbcReader.BENIGN, "label " + y);
            }
        }
    }
}
