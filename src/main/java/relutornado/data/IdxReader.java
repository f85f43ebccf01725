package relutornado.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (yann.lecun.com/exdb/mnist), gzipped or not.
 *
 * <pre>
 *   images (IDX3): int32 magic 0x00000803, int32 count, int32 rows, int32 cols, then count*rows*cols unsigned bytes
 *   labels (IDX1): int32 magic 0x00000801, int32 count, then count unsigned bytes
 * </pre>
 * All integers are big-endian. Gzip is detected from the first two bytes (0x1f 0x8b), not from the
 * file name, so a decompressed file that kept its ".gz" name still reads. The whole payload is read
 * with one bulk read and checked against the header: too few bytes (truncated) and bytes after the
 * payload (trailing garbage) are both errors.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** MNIST and Fashion-MNIST have 10 classes; labels outside 0..9 mean a wrong or corrupt file. */
    public static final int DEFAULT_CLASSES = 10;
    /** Largest image side we accept; real IDX sets are 28 x 28, a huge value means a corrupt header. */
    public static final int MAX_SIDE = 4096;
    /** Java arrays hold at most about 2^31 elements; the payload must fit in one. */
    private static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {
    }

    /**
     * Images of an IDX3 file, pixels scaled to [0, 1].
     *
     * @param pixels row-major (count, height * width): pixels[i * height * width + r * width + c]
     */
    public record IdxImages(float[] pixels, int count, int height, int width) {
        public IdxImages {
            if ((long) count * height * width != pixels.length) {
                throw new IllegalArgumentException("IdxImages: " + pixels.length + " pixels are not " + count + " x "
                        + height + " x " + width);
            }
        }

        /** Pixels per image: height * width. */
        public int pixelsPerImage() {
            return height * width;
        }
    }

    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            int[] header = readHeader(in, file, IMAGES_MAGIC, 4);
            int count = header[1];
            int height = header[2];
            int width = header[3];
            checkCount(file, count, "image count");
            checkSide(file, height, "image height");
            checkSide(file, width, "image width");
            long size = (long) count * height * width;
            if (size > MAX_PAYLOAD) {
                throw DataFormatException.of(file, "header says " + count + " images of " + height + " x " + width
                        + " = " + size + " pixels, more than one Java array can hold");
            }
            byte[] bytes = readPayload(in, file, (int) size, count + " images of " + height + " x " + width);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                pixels[i] = (bytes[i] & 0xff) / 255f;
            }
            return new IdxImages(pixels, count, height, width);
        } catch (IOException e) {
            throw ioError(file, e);
        }
    }

    /** Labels of an IDX1 file, each checked to lie in 0..9. */
    public static int[] readLabels(Path file) {
        return readLabels(file, DEFAULT_CLASSES);
    }

    /** Labels of an IDX1 file, each checked to lie in 0..classes-1. */
    public static int[] readLabels(Path file, int classes) {
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("classes must be in 1..256 (labels are single bytes), got " + classes);
        }
        try (InputStream in = open(file)) {
            int[] header = readHeader(in, file, LABELS_MAGIC, 2);
            int count = header[1];
            checkCount(file, count, "label count");
            byte[] bytes = readPayload(in, file, count, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xff;
                if (labels[i] >= classes) {
                    throw DataFormatException.of(file, "label " + labels[i] + " at index " + i + " is outside 0.."
                            + (classes - 1) + " (" + classes + " classes)");
                }
            }
            return labels;
        } catch (IOException e) {
            throw ioError(file, e);
        }
    }

    /** A buffered stream of the file's content, decompressed when it starts with the gzip magic 0x1f 0x8b. */
    static InputStream open(Path file) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
        }
        return raw;
    }

    /** Reads `ints` big-endian int32s and checks the first against the expected magic number. */
    private static int[] readHeader(InputStream in, Path file, int magic, int ints) throws IOException {
        byte[] bytes = in.readNBytes(4 * ints);
        if (bytes.length == 0) {
            throw DataFormatException.of(file, "empty file, expected an IDX header of " + 4 * ints + " bytes");
        }
        if (bytes.length >= 4 && bigEndian(bytes, 0) != magic) {
            int found = bigEndian(bytes, 0);
            String hint = found == IMAGES_MAGIC ? " (this is an IDX3 image file)"
                    : found == LABELS_MAGIC ? " (this is an IDX1 label file)" : "";
            throw DataFormatException.of(file, String.format("bad magic number 0x%08x, expected 0x%08x (%s)%s",
                    found, magic, describe(magic), hint));
        }
        if (bytes.length < 4 * ints) {
            throw DataFormatException.of(file, "truncated header: " + bytes.length + " bytes, expected " + 4 * ints
                    + " for " + describe(magic));
        }
        int[] header = new int[ints];
        for (int i = 0; i < ints; i++) {
            header[i] = bigEndian(bytes, 4 * i);
        }
        return header;
    }

    /** Reads exactly `size` bytes, then checks that nothing follows them. */
    private static byte[] readPayload(InputStream in, Path file, int size, String what) throws IOException {
        byte[] bytes = in.readNBytes(size);
        if (bytes.length < size) {
            throw DataFormatException.of(file, "truncated: header announces " + what + " (" + size + " bytes of data) but only "
                    + bytes.length + " bytes follow the header");
        }
        if (in.read() != -1) {
            long extra = 1 + in.transferTo(OutputStream.nullOutputStream());
            throw DataFormatException.of(file, "trailing garbage: " + extra + " bytes after the " + what
                    + " the header announces");
        }
        return bytes;
    }

    private static void checkCount(Path file, int count, String what) {
        // header ints are unsigned; a count above 2^31 reads negative here and is rejected as well
        if (count <= 0) {
            throw DataFormatException.of(file, "bad " + what + " " + Integer.toUnsignedString(count) + " in the header, expected > 0");
        }
    }

    private static void checkSide(Path file, int side, String what) {
        if (side <= 0 || side > MAX_SIDE) {
            throw DataFormatException.of(file, "bad " + what + " " + Integer.toUnsignedString(side)
                    + " in the header, expected 1.." + MAX_SIDE);
        }
    }

    private static DataFormatException ioError(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return DataFormatException.of(file, "file not found", e);
        }
        if (e instanceof ZipException || e instanceof EOFException) {
            // GZIPInputStream reports a cut-off or damaged gzip stream this way
            String detail = e.getMessage() == null ? "unexpected end of file" : e.getMessage();
            return DataFormatException.of(file, "corrupt or truncated gzip data (" + detail + ")", e);
        }
        return DataFormatException.of(file, "cannot read: " + e, e);
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static String describe(int magic) {
        return magic == IMAGES_MAGIC ? "IDX3 images" : "IDX1 labels";
    }
}
