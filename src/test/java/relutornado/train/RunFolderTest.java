package relutornado.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

    @TempDir
    Path tmp;

    @Test
    void aNewFolderIsCreatedLockedAndReleased() {
        Path out = tmp.resolve("run");
        try (RunFolder f = RunFolder.claim(out, RunFolder.Mode.NEW)) {
            assertTrue(Files.isRegularFile(out.resolve(RunFolder.LOCK)));
        }
        assertFalse(Files.exists(out.resolve(RunFolder.LOCK)));
        // created by the claim and left empty: removed again
        assertFalse(Files.exists(out));
    }

    @Test
    void aFolderHoldingARunIsRefusedUnlessResumeOrOverwrite() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(out.resolve("result.csv"), "old");
        Files.writeString(out.resolve("checkpoint.bin"), "state");
        Files.writeString(out.resolve("notes.txt"), "mine");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.claim(out, RunFolder.Mode.NEW));
        assertTrue(e.getMessage().contains("--out " + out + " already holds a run (result.csv, checkpoint.bin)"), e.getMessage());
        assertTrue(e.getMessage().contains("--overwrite") && e.getMessage().contains("--resume"), e.getMessage());
        assertFalse(Files.exists(out.resolve(RunFolder.LOCK)), "a refused claim leaves no lock");

        try (RunFolder f = RunFolder.claim(out, RunFolder.Mode.RESUME)) {
            assertEquals("state", Files.readString(out.resolve("checkpoint.bin")));
        }
        Files.writeString(out.resolve(".folds.csv.123.tmp"), "half");
        try (RunFolder f = RunFolder.claim(out, RunFolder.Mode.OVERWRITE)) {
            assertFalse(Files.exists(out.resolve("result.csv")));
            assertFalse(Files.exists(out.resolve("checkpoint.bin")));
            assertFalse(Files.exists(out.resolve(".folds.csv.123.tmp")));
            assertEquals("mine", Files.readString(out.resolve("notes.txt")), "files that are not a run's stay");
        }
    }

    @Test
    void anEmptyOrForeignFolderIsFine() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(out.resolve("README"), "x");
        try (RunFolder f = RunFolder.claim(out, RunFolder.Mode.NEW)) {
            assertEquals(out, f.dir());
        }
        assertTrue(Files.exists(out.resolve("README")));
    }

    @Test
    void aFileIsNotAFolder() throws IOException {
        Path out = Files.writeString(tmp.resolve("run"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunFolder.claim(out, RunFolder.Mode.NEW));
        assertEquals("--out " + out + " is a file, not a folder", e.getMessage());
    }

    @Test
    void aSecondClaimInTheSameProcessIsRefused() {
        Path out = tmp.resolve("run");
        try (RunFolder f = RunFolder.claim(out, RunFolder.Mode.NEW)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.claim(out, RunFolder.Mode.NEW));
            assertTrue(e.getMessage().startsWith("--out " + out + " is in use by another run"), e.getMessage());
            assertTrue(Files.exists(out.resolve(RunFolder.LOCK)), "the refused claim must not remove the holder's lock");
        }
    }

    /** A JVM that claims args[0] and waits: prints "claimed" once it holds the folder. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            RunFolder f = RunFolder.claim(Path.of(args[0]), RunFolder.Mode.NEW);
            System.out.println("claimed");
            System.out.flush();
            Thread.sleep(60_000);
            f.close();
        }
    }

    private static Process holder(Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(), out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("claimed", r.readLine(), "the holder JVM did not claim " + out);
        return p;
    }

    @Test
    void anotherProcessHoldingTheFolderIsNamedAndAKilledOnesLockIsTakenOver() throws Exception {
        Path out = tmp.resolve("run");
        Process p = holder(out);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunFolder.claim(out, RunFolder.Mode.NEW));
            assertTrue(e.getMessage().contains("is in use by another run (pid " + p.pid() + " on host " + RunFolder.host()),
                    e.getMessage());
        } finally {
            p.destroyForcibly(); // SIGKILL: the lock file stays, the OS lock goes
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        List<String> stale = Files.readAllLines(out.resolve(RunFolder.LOCK));
        assertTrue(stale.contains("pid=" + p.pid()), "the killed run's lock file stays behind: " + stale);
        assertFalse(RunFolder.alive(String.join("\n", stale)), "the pid check also sees it as dead");
        try (RunFolder f = RunFolder.claim(out, RunFolder.Mode.NEW)) {
            assertTrue(Files.readString(out.resolve(RunFolder.LOCK)).contains("pid=" + ProcessHandle.current().pid()));
        }
    }
}
