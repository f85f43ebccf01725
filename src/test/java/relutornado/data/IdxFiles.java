package relutornado.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for the tests: a big-endian int header, then unsigned bytes. */
final class IdxFiles {

    private IdxFiles() {
    }

    /** Header ints followed by the payload bytes, exactly as given (so tests can break either). */
    static byte[] idx(int[] header, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 * header.length + payload.length); // big-endian by default, as IDX
        for (int h : header) {
            b.putInt(h);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] images(int count, int height, int width, byte[] pixels) {
        return idx(new int[] {IdxReader.IMAGES_MAGIC, count, height, width}, pixels);
    }

    static byte[] labels(int... labels) {
        byte[] payload = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            payload[i] = (byte) labels[i];
        }
        return idx(new int[] {IdxReader.LABELS_MAGIC, labels.length}, payload);
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
