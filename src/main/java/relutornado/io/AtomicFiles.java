package relutornado.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Every file a run writes goes through here: the content is written to a temporary file beside the
 * target ({@code .NAME.RANDOM.tmp}, same folder, so same file system), forced to disk, then renamed
 * over the target. A reader ({@code table}, {@code compare}, a study merge) sees the old file or the
 * new one, never a half-written one, whatever kills the writer; a failed write leaves the old file.
 */
public final class AtomicFiles {

    /** Suffix of the temporary files; a run killed mid-write can leave one, which no reader looks at. */
    public static final String TMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes the body's bytes to {@code file} atomically. */
    public static void write(Path file, Body<OutputStream> body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", TMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                // the body may close the stream (a CSVPrinter does); the channel is forced through a stream that
                // ignores close, then closed here
                body.accept(new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                });
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Writes UTF-8 text through a buffered writer, atomically. */
    public static void writeText(Path file, Body<Writer> body) throws IOException {
        write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            // a body that closes its writer (a CSVPrinter does) only flushes it; the file is finished above
            body.accept(new java.io.FilterWriter(w) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            });
            w.flush();
        });
    }

    /** Writes a string as UTF-8, atomically. */
    public static void writeString(Path file, String text) throws IOException {
        writeText(file, w -> w.write(text));
    }

    /** As {@link #writeString}, for callers without IOException: a failure is an UncheckedIOException naming the file. */
    public static void writeStringUnchecked(Path file, String text) {
        try {
            writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** What writes the content; may throw IOException. */
    @FunctionalInterface
    public interface Body<T> {
        void accept(T sink) throws IOException;
    }
}
