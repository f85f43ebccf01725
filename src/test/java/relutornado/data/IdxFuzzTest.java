package relutornado.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the IDX reader (images and labels, plain and gzipped) with Jazzer: every byte string either
 * loads into consistent arrays or fails with a {@link DataFormatException} naming the file. Seeds are
 * small valid files; crash inputs found by fuzzing go to {@code IdxFuzzTestInputs/idxFilesLoadOrFailNamingTheFile}.
 */
class IdxFuzzTest {

    private static final AtomicLong EXECUTIONS = new AtomicLong();
    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("relu-tornado-idx-fuzz");
    }

    @AfterAll
    static void checkFuzzed() throws IOException {
        FuzzChecks.checkFuzzed("IdxFuzzTest", EXECUTIONS);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    static Stream<byte[]> seeds() {
        byte[] pixels = {0, 1, 2, 3, (byte) 255, 127, 64, 32, 16, 8, 4, 2};
        return Stream.of(
                IdxFiles.images(3, 2, 2, pixels),
                IdxFiles.images(1, 3, 4, pixels),
                IdxFiles.labels(0, 1, 9, 3),
                IdxFiles.gzip(IdxFiles.images(2, 2, 3, pixels)),
                IdxFiles.gzip(IdxFiles.labels(5, 5, 0)));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void idxFilesLoadOrFailNamingTheFile(byte[] content) {
        EXECUTIONS.incrementAndGet();
        Path file = FuzzChecks.write(dir.resolve("input.idx"), content);
        IdxReader.IdxImages images = FuzzChecks.loadOrNamedError(file, IdxReader::readImages);
        if (images != null) {
            assertEquals((long) images.count() * images.height() * images.width(), images.pixels().length);
            for (float p : images.pixels()) {
                assertTrue(p >= 0f && p <= 1f, "pixel " + p + " outside [0, 1]");
            }
        }
        int[] labels = FuzzChecks.loadOrNamedError(file, IdxReader::readLabels);
        if (labels != null) {
            assertTrue(labels.length > 0, "a label file loaded with no labels");
            for (int label : labels) {
                assertTrue(label >= 0 && label < IdxReader.DEFAULT_CLASSES, "label " + label + " outside 0..9");
            }
        }
    }
}
