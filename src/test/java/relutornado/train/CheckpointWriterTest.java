package relutornado.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints written in the background: the newest is the one on disk, and a failed write is not lost. */
class CheckpointWriterTest {
    @TempDir
    Path tmp;

    private static Checkpoint at(int epochsDone) {
        return new Checkpoint("s", 0, epochsDone, epochsDone, new int[0], new double[0], List.of(), new float[1 << 16],
                new float[1 << 16], new float[1 << 16], new int[0], List.of());
    }

    @Test
    void theLastCheckpointWrittenIsTheOneOnDisk() {
        try (CheckpointWriter w = new CheckpointWriter()) {
            for (int e = 1; e <= 5; e++) {
                w.write(at(e), tmp);
            }
            w.await();
            assertEquals(5, Checkpoint.read(tmp).epochsDone());
        }
    }

    @Test
    void aFailedWriteSurfacesAtTheNextWait() throws IOException {
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        CheckpointWriter w = new CheckpointWriter();
        w.write(at(1), notAFolder);
        assertThrows(UncheckedIOException.class, w::await);
        w.write(at(2), tmp); // the failure was reported once
        w.close();
        assertEquals(2, Checkpoint.read(tmp).epochsDone());
    }
}
