package relutornado.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import relutornado.io.AtomicFiles;

/**
 * The output folder of one {@code train} run, claimed for the run's duration.
 * <ul>
 *   <li>A folder that already holds a run (any of {@link #RUN_FILES}) is refused, unless the run resumes
 *       it ({@code --resume}: everything is kept) or replaces it ({@code --overwrite}: those files are
 *       deleted first; other files stay).</li>
 *   <li>A lock file ({@link #LOCK}: pid, host, start time) held with an OS file lock for the run's
 *       duration refuses a second run on the same folder. The OS drops the file lock when a process
 *       dies, so a lock file left by a killed run is recognised as stale and taken over; where the file
 *       system has no locks (some NFS set-ups), a lock of this host whose pid no longer runs is stale.</li>
 * </ul>
 */
public final class RunFolder implements AutoCloseable {

    /** What the run does with a folder that already holds a run. */
    public enum Mode {
        /** Refuse it. */
        NEW,
        /** Keep it and continue (train --resume). */
        RESUME,
        /** Delete its run files first (train --overwrite). */
        OVERWRITE
    }

    public static final String LOCK = ".relu-tornado.lock";
    /** What a run leaves in its folder (reports, the checkpoint of --resume, the note of a failed run). */
    public static final List<String> RUN_FILES = List.of("run.json", "result.csv", "summary.md", "folds.csv", "metrics.csv",
            "confusion.csv", "predictions.csv", "report.html", "accuracy.png", "loss.png", "confusion.png", "dead_units.png",
            "sparsity.png", "device.png", "checkpoint.bin", Experiment.FAILED);

    private final Path dir;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean created;

    private RunFolder(Path dir, Path lockFile, FileChannel channel, FileLock lock, boolean created) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
        this.created = created;
    }

    /** Claims {@code out} for a run: creates it, locks it, checks what it holds against the mode. */
    public static RunFolder claim(Path out, Mode mode) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
        }
        boolean created = !Files.exists(out);
        Path lockFile = out.resolve(LOCK);
        FileChannel ch = null;
        try {
            Files.createDirectories(out);
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = acquire(out, lockFile, ch);
            String previous = read(ch);
            if (!previous.isBlank() && lock != null) {
                // we hold the OS lock, so the process that wrote this is gone
                System.err.println("relu-tornado: --out " + out + ": taking over the lock of a run that ended without releasing it ("
                        + describe(previous) + ")");
            }
            byte[] mine = ("pid=" + ProcessHandle.current().pid() + "\nhost=" + host() + "\nstarted=" + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(mine), 0);
            ch.force(true);
            RunFolder folder = new RunFolder(out, lockFile, ch, lock, created);
            try {
                folder.check(mode);
            } catch (RuntimeException e) {
                folder.close();
                throw e;
            }
            return folder;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("--out " + out + ": cannot create or lock the folder: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (!(e instanceof InUse)) {
                closeQuietly(ch);
            }
            throw e;
        }
    }

    /** The OS file lock on the lock file, or null where the file system has none and the pid check said it is free. */
    private static FileLock acquire(Path out, Path lockFile, FileChannel ch) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new InUse(out, "this process");
        } catch (IOException e) {
            // no locks on this file system: fall back on the pid and host in the file
            String holder = read(ch);
            if (!holder.isBlank() && alive(holder)) {
                closeQuietly(ch);
                throw new InUse(out, describe(holder));
            }
            return null;
        }
        if (lock == null) {
            String holder = read(ch);
            closeQuietly(ch);
            throw new InUse(out, holder.isBlank() ? "a process that has just started" : describe(holder));
        }
        return lock;
    }

    /** A second run on a folder in use. */
    static final class InUse extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        InUse(Path out, String holder) {
            super("--out " + out + " is in use by another run (" + holder + "); wait for it to end or choose another --out"
                    + " (lock file " + out.resolve(LOCK) + ")");
        }
    }

    private void check(Mode mode) throws IOException {
        List<String> present = new ArrayList<>();
        for (String name : RUN_FILES) {
            if (Files.exists(dir.resolve(name))) {
                present.add(name);
            }
        }
        if (present.isEmpty()) {
            return;
        }
        switch (mode) {
            case NEW -> throw new IllegalStateException("--out " + dir + " already holds a run (" + String.join(", ", present)
                    + "); pass --overwrite to replace it, --resume to continue it, or choose another --out");
            case RESUME -> {
            }
            case OVERWRITE -> {
                for (String name : present) {
                    Files.delete(dir.resolve(name));
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        String name = f.getFileName().toString();
                        if (name.startsWith(".") && name.endsWith(AtomicFiles.TMP_SUFFIX)) {
                            Files.delete(f);
                        }
                    }
                }
            }
            default -> throw new AssertionError(mode);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Releases the folder: deletes the lock file, drops the lock; a folder this run created and left empty goes too. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(lockFile);
            if (lock != null) {
                lock.release();
            }
            channel.close();
            if (created) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--out " + dir + ": cannot release the lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private static String read(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** "pid 123 on host h, started T" from the lock file's lines. */
    static String describe(String content) {
        String pid = field(content, "pid");
        String host = field(content, "host");
        String started = field(content, "started");
        return "pid " + pid + " on host " + host + ", started " + started;
    }

    /** Whether the lock's process runs: unknown (another host, unreadable) counts as running. */
    static boolean alive(String content) {
        if (!host().equals(field(content, "host"))) {
            return true;
        }
        try {
            return ProcessHandle.of(Long.parseLong(field(content, "pid"))).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static String field(String content, String key) {
        return content.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).findFirst().orElse("?");
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
            return name.substring(name.indexOf('@') + 1);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the claim failed already; that error is the one to report
            }
        }
    }
}
