package relutornado.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplaces() throws IOException {
        Path f = tmp.resolve("a.md");
        AtomicFiles.writeString(f, "first");
        AtomicFiles.writeString(f, "second ü");
        assertEquals("second ü", Files.readString(f));
        assertEquals(List.of("a.md"), names());
    }

    @Test
    void theUncheckedFormNamesTheFileItCannotWrite() throws IOException {
        Path f = tmp.resolve("a.md");
        AtomicFiles.writeStringUnchecked(f, "text");
        assertEquals("text", Files.readString(f));
        // a.md is a file, so no folder can be made under it
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> AtomicFiles.writeStringUnchecked(f.resolve("cells.json"), "{}"));
        assertEquals(true, e.getMessage().startsWith("cannot write " + f.resolve("cells.json")), e.getMessage());
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = tmp.resolve("result.csv");
        AtomicFiles.writeString(f, "old,complete\n");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeText(f, w -> {
            w.write("new,half");
            w.flush();
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old,complete\n", Files.readString(f));
        assertEquals(List.of("result.csv"), names());
    }

    @Test
    void nothingAppearsUntilTheBodyIsDone() throws IOException {
        Path f = tmp.resolve("folds.csv");
        AtomicFiles.writeText(f, w -> {
            w.write("fold,epoch\n");
            w.flush();
            // mid-write: the target does not exist yet, only the hidden temporary file
            assertEquals(false, Files.exists(f));
            assertEquals(1, names().size());
            assertEquals(true, names().get(0).startsWith(".folds.csv.") && names().get(0).endsWith(AtomicFiles.TMP_SUFFIX));
        });
        assertEquals("fold,epoch\n", Files.readString(f));
    }

    @Test
    void aBodyThatClosesItsWriterStillCompletesTheFile() throws IOException {
        Path f = tmp.resolve("metrics.csv");
        AtomicFiles.writeText(f, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
                p.printRecord("class", "f1");
            }
        });
        assertEquals("class,f1\n", Files.readString(f));
    }

    @Test
    void createsTheFolder() throws IOException {
        Path f = tmp.resolve("x/y/run.json");
        AtomicFiles.writeString(f, "{}");
        assertEquals("{}", Files.readString(f));
    }

    /** java.nio Files writers (not AtomicFiles'), java.io file streams, XChart's save-to-path. */
    private static final java.util.regex.Pattern DIRECT_WRITE = java.util.regex.Pattern.compile(
            "(?<![A-Za-z])Files\\.(write|writeString|newBufferedWriter|newOutputStream)\\(|new File(Writer|OutputStream)\\(|saveBitmap\\([^,]+, *[a-z]+\\.toString\\(\\)");

    /** Every writer of the host goes through AtomicFiles: no other class opens a file for writing. */
    @Test
    void noOtherClassWritesFilesDirectly() throws IOException {
        Path sources = Path.of("main/java");
        List<String> direct = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.endsWith("AtomicFiles.java")) {
                    continue;
                }
                String code = Files.readString(f);
                java.util.regex.Matcher m = DIRECT_WRITE.matcher(code);
                while (m.find()) {
                    direct.add(sources.relativize(f) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), direct, "write through AtomicFiles (temporary file + rename) instead");
    }
}
