package relutornado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static relutornado.data.IdxFiles.gzip;
import static relutornado.data.IdxFiles.idx;
import static relutornado.data.IdxFiles.images;
import static relutornado.data.IdxFiles.labels;
import static relutornado.data.IdxFiles.write;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

class IdxReaderTest {

    @TempDir
    Path tmp;

    /** Two 2x3 images whose bytes cover 0, 255 and values above 127 (unsigned bytes). */
    static final byte[] PIXELS = {0, 1, 127, (byte) 128, (byte) 254, (byte) 255, 10, 20, 30, 40, 50, 60};

    static float[] expectedPixels() {
        float[] f = new float[PIXELS.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (PIXELS[i] & 0xff) / 255f;
        }
        return f;
    }

    @Test
    void readsPlainImagesExactly() {
        Path p = write(tmp.resolve("train-images-idx3-ubyte"), images(2, 2, 3, PIXELS));
        IdxReader.IdxImages im = IdxReader.readImages(p);
        assertEquals(2, im.count());
        assertEquals(2, im.height());
        assertEquals(3, im.width());
        assertEquals(6, im.pixelsPerImage());
        assertArrayEquals(expectedPixels(), im.pixels());
        assertEquals(0f, im.pixels()[0]);
        assertEquals(1f, im.pixels()[5]);
        assertEquals(128 / 255f, im.pixels()[3]);
    }

    @Test
    void readsGzippedImagesAndLabelsExactly() {
        Path images = write(tmp.resolve("t10k-images-idx3-ubyte.gz"), gzip(images(2, 2, 3, PIXELS)));
        Path labels = write(tmp.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(7, 0)));
        assertArrayEquals(expectedPixels(), IdxReader.readImages(images).pixels());
        assertArrayEquals(new int[] {7, 0}, IdxReader.readLabels(labels));
    }

    @Test
    void detectsGzipByContentNotByName() {
        // gzipped content without .gz, and plain content that kept a .gz name
        Path gz = write(tmp.resolve("labels-no-suffix"), gzip(labels(1, 2, 3)));
        Path plain = write(tmp.resolve("labels-plain.gz"), labels(4, 5, 6));
        assertArrayEquals(new int[] {1, 2, 3}, IdxReader.readLabels(gz));
        assertArrayEquals(new int[] {4, 5, 6}, IdxReader.readLabels(plain));
    }

    @Test
    void readsLabelsUpToAGivenClassCount() {
        Path p = write(tmp.resolve("labels"), labels(0, 11, 200));
        assertArrayEquals(new int[] {0, 11, 200}, IdxReader.readLabels(p, 256));
        assertFails(() -> IdxReader.readLabels(p, 12), "labels", "label 200 at index 2 is outside 0..11");
    }

    @Test
    void rejectsLabelFileReadAsImages() {
        Path p = write(tmp.resolve("train-images-idx3-ubyte.gz"), gzip(labels(1, 2)));
        assertFails(() -> IdxReader.readImages(p), "train-images-idx3-ubyte.gz",
                "bad magic number 0x00000801, expected 0x00000803 (IDX3 images)");
    }

    @Test
    void rejectsImageFileReadAsLabels() {
        Path p = write(tmp.resolve("train-labels-idx1-ubyte"), images(2, 2, 3, PIXELS));
        assertFails(() -> IdxReader.readLabels(p), "train-labels-idx1-ubyte",
                "bad magic number 0x00000803, expected 0x00000801 (IDX1 labels)");
    }

    @Test
    void rejectsOtherMagicNumbers() {
        Path p = write(tmp.resolve("random.bin"), idx(new int[] {0x12345678, 1, 1, 1}, new byte[1]));
        assertFails(() -> IdxReader.readImages(p), "random.bin", "bad magic number 0x12345678");
    }

    @Test
    void rejectsEmptyFile() {
        Path p = write(tmp.resolve("empty-idx3"), new byte[0]);
        assertFails(() -> IdxReader.readImages(p), "empty-idx3", "empty file");
        Path gz = write(tmp.resolve("empty-labels.gz"), gzip(new byte[0]));
        assertFails(() -> IdxReader.readLabels(gz), "empty-labels.gz", "empty file");
    }

    @Test
    void rejectsTruncatedHeader() {
        byte[] full = images(2, 2, 3, PIXELS);
        Path p = write(tmp.resolve("short-header"), Arrays.copyOf(full, 10));
        assertFails(() -> IdxReader.readImages(p), "short-header", "truncated header: 10 bytes, expected 16");
    }

    @Test
    void rejectsTruncatedPayload() {
        byte[] full = images(2, 2, 3, PIXELS);
        Path plain = write(tmp.resolve("cut-images"), Arrays.copyOf(full, full.length - 1));
        assertFails(() -> IdxReader.readImages(plain), "cut-images", "truncated: header announces 2 images of 2 x 3 (12 bytes of data) but only 11");
        Path gz = write(tmp.resolve("cut-labels.gz"), gzip(Arrays.copyOf(labels(1, 2, 3), 10)));
        assertFails(() -> IdxReader.readLabels(gz), "cut-labels.gz", "truncated: header announces 3 labels");
    }

    @Test
    void rejectsTruncatedGzipStream() {
        byte[] gz = gzip(images(2, 2, 3, PIXELS));
        Path p = write(tmp.resolve("cut-stream.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertFails(() -> IdxReader.readImages(p), "cut-stream.gz", "corrupt or truncated gzip data");
    }

    @Test
    void rejectsTrailingGarbage() {
        byte[] full = labels(1, 2, 3);
        byte[] longer = Arrays.copyOf(full, full.length + 5);
        Path plain = write(tmp.resolve("long-labels"), longer);
        assertFails(() -> IdxReader.readLabels(plain), "long-labels", "trailing garbage: 5 bytes after the 3 labels");
        Path gz = write(tmp.resolve("long-images.gz"), gzip(Arrays.copyOf(images(2, 2, 3, PIXELS), 16 + 12 + 1)));
        assertFails(() -> IdxReader.readImages(gz), "long-images.gz", "trailing garbage: 1 bytes");
    }

    @Test
    void rejectsBadDimensions() {
        Path zeroCount = write(tmp.resolve("zero-count"), images(0, 2, 3, new byte[0]));
        assertFails(() -> IdxReader.readImages(zeroCount), "zero-count", "bad image count 0");
        Path zeroHeight = write(tmp.resolve("zero-height"), images(2, 0, 3, new byte[0]));
        assertFails(() -> IdxReader.readImages(zeroHeight), "zero-height", "bad image height 0");
        Path hugeWidth = write(tmp.resolve("huge-width"), images(2, 2, 100_000, new byte[0]));
        assertFails(() -> IdxReader.readImages(hugeWidth), "huge-width", "bad image width 100000");
        // 0xFFFFFFFF is an unsigned count of 4294967295, far more than an array holds
        Path negative = write(tmp.resolve("negative-count"), idx(new int[] {IdxReader.LABELS_MAGIC, -1}, new byte[0]));
        assertFails(() -> IdxReader.readLabels(negative), "negative-count", "bad label count 4294967295");
        Path tooBig = write(tmp.resolve("too-big"), images(1_000_000, 4096, 4096, new byte[0]));
        assertFails(() -> IdxReader.readImages(tooBig), "too-big", "more than one Java array can hold");
    }

    @Test
    void labelsAboveNineAreRejectedByDefault() {
        Path p = write(tmp.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(3, 9, 10, 4)));
        assertFails(() -> IdxReader.readLabels(p), "t10k-labels-idx1-ubyte.gz", "label 10 at index 2 is outside 0..9");
    }

    @Test
    void missingFileNamesThePath() {
        Path p = tmp.resolve("nowhere-idx3");
        assertFails(() -> IdxReader.readImages(p), "nowhere-idx3", "file not found");
    }

    /** A full-size gzipped file (MNIST's training images) reads whole: every image, the last pixel scaled. Its speed is printed, not asserted. */
    @Test
    void readsSixtyThousandGzippedImages() {
        int count = 60_000;
        byte[] pixels = new byte[count * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 251 < 100 ? 0 : i * 31); // mostly-black, like MNIST, so gzip stays quick
        }
        Path p = write(tmp.resolve("big-idx3.gz"), gzip(images(count, 28, 28, pixels)));
        long t0 = System.nanoTime();
        IdxReader.IdxImages im = IdxReader.readImages(p);
        System.out.printf("IdxReader: 60,000 gzipped 28x28 images in %.3f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(count, im.count());
        assertEquals(28 * 28, im.pixels().length / count);
        for (int i : new int[] {0, 100, 12_345_678, pixels.length - 1}) {
            assertEquals((pixels[i] & 0xff) / 255f, im.pixels()[i], "pixel " + i);
        }
    }

    /** The call throws DataFormatException whose message names the file and the problem. */
    static void assertFails(Executable call, String fileName, String problem) {
        DataFormatException e = assertThrows(DataFormatException.class, call);
        assertTrue(e.getMessage().contains(fileName), "message should name " + fileName + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "message should say '" + problem + "': " + e.getMessage());
    }

    /** A gzip stream cut inside its header: EOFException carries no message, the error must still say what happened. */
    @Test
    void aGzipHeaderCutShortSaysUnexpectedEnd() {
        Path p = IdxFiles.write(tmp.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
        assertFails(() -> IdxReader.readImages(p), "t10k-images-idx3-ubyte.gz", "corrupt or truncated gzip data (unexpected end of file)");
    }
}
