package relutornado.study;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relutornado.io.AtomicFiles;
import relutornado.train.Checkpoint;

/**
 * A study's output folder:
 * <pre>
 * DIR/study.yaml         the study file as run
 * DIR/cells.json         the expanded grid: per cell its id, settings and train flags
 * DIR/cells/ID/          an ordinary run folder (train --out), plus cell.log, heartbeat.json (who runs it, how far), failed (why not)
 * DIR/slurm/             array.sbatch, merge.sbatch, jobs, the tasks' logs (slurm executor)
 * DIR/study.csv, DIR/table.md   written by 'study merge'
 * </pre>
 * A cell is done when its run.json is there and its checkpoint is gone (a run deletes it last).
 */
public final class StudyDir {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** One cell as cells.json lists it. */
    public record Entry(String id, Map<String, String> settings, List<String> args) {
    }

    /** What cells.json holds. */
    public record Grid(String name, List<String> axes, List<Entry> cells) {
    }

    /** STALE: a heartbeat is there but its process is gone or silent ({@link Heartbeat}); 'study run' takes such a cell over. */
    public enum State { DONE, RUNNING, STALE, FAILED, PENDING }

    /** A cell's state; {@code note} says why it failed, who runs it (or ran it, when stale), or where an interrupted run will resume. */
    public record Status(State state, String note) {
    }

    /** The marker of cells started before heartbeats ("host H pid P"), still read so that such a cell is not run twice. */
    static final String LEGACY_MARKER = "running";

    private final Path dir;

    public StudyDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    public Path cell(String id) {
        return dir.resolve("cells").resolve(id);
    }

    public void writeGrid(Grid grid) {
        AtomicFiles.writeStringUnchecked(dir.resolve("cells.json"), GSON.toJson(grid) + "\n");
    }

    public Grid readGrid() {
        Path f = dir.resolve("cells.json");
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(dir + " is not a study folder (no cells.json; 'study run FILE --out DIR' writes one)");
        }
        try {
            return GSON.fromJson(Files.readString(f), Grid.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    public Entry entry(String id) {
        for (Entry e : readGrid().cells()) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("study " + dir + " has no cell '" + id + "'");
    }

    public Status status(String id) {
        return status(id, Instant.now());
    }

    /**
     * A cell's state at {@code now}: done (run.json, no checkpoint); running while its process's heartbeat is fresh; stale
     * when the heartbeat is older than {@link Heartbeat#staleAfter()} or names a process of this host that is gone; failed
     * (why); else pending (where it will resume).
     */
    Status status(String id, Instant now) {
        Path c = cell(id);
        if (Files.isRegularFile(c.resolve("run.json")) && !Files.exists(Checkpoint.path(c))) {
            return new Status(State.DONE, "");
        }
        String resume = resumeNote(c);
        Heartbeat beat = heartbeat(id);
        if (beat != null) {
            boolean gone = beat.host().equals(host()) && !ProcessHandle.of(beat.pid()).map(ProcessHandle::isAlive).orElse(false);
            String who = "host " + beat.host() + (beat.slurmJob().isEmpty() ? "" : " slurm job " + beat.slurmJob());
            String age = Heartbeat.format(beat.age(now));
            if (!gone && !beat.stale(now)) {
                return new Status(State.RUNNING, who + " pid " + beat.pid() + ", " + beat.progress() + ", heartbeat " + age + " ago");
            }
            return new Status(State.STALE, (who + ", last heartbeat " + age + " ago (" + beat.progress()
                    + (gone ? "; pid " + beat.pid() + " is gone" : "") + "); " + resume).strip().replaceFirst(";$", ""));
        }
        String legacy = read(c.resolve(LEGACY_MARKER));
        if (legacy != null) {
            // a marker without a heartbeat (written before heartbeats): only a process of this host can be checked
            return alive(legacy) ? new Status(State.RUNNING, legacy.strip() + ", no heartbeat")
                    : new Status(State.STALE, (legacy.strip() + ", no heartbeat, process gone; " + resume).strip().replaceFirst(";$", ""));
        }
        String failed = read(c.resolve("failed"));
        if (failed != null) {
            return new Status(State.FAILED, failed.strip().lines().findFirst().orElse(""));
        }
        return new Status(State.PENDING, resume);
    }

    /** Where an interrupted cell resumes, from its checkpoint; "" without one. */
    private static String resumeNote(Path c) {
        if (!Files.exists(Checkpoint.path(c))) {
            return "";
        }
        try {
            Checkpoint cp = Checkpoint.read(c);
            return "resumes at unit " + (cp.unit() + 1) + " after epoch " + cp.epochsDone();
        } catch (RuntimeException e) {
            return "checkpoint unreadable: " + e.getMessage();
        }
    }

    /** The cell's heartbeat, or null when it has none (not started, finished, or unreadable). */
    public Heartbeat heartbeat(String id) {
        String text = read(cell(id).resolve(Heartbeat.FILE));
        if (text == null) {
            return null;
        }
        try {
            Heartbeat h = GSON.fromJson(text, Heartbeat.class);
            return h == null || h.host() == null || h.time() == null ? null : h;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Marks a cell as run by this process, clearing an old failure: its heartbeat (host, pid, the Slurm job if any) is
     * written now and kept current by the returned writer, which the cell's run reports its epochs to.
     */
    public Heartbeat.Writer markRunning(String id) {
        String job = System.getenv("SLURM_JOB_ID") == null ? "" : System.getenv("SLURM_ARRAY_JOB_ID") + "_"
                + System.getenv("SLURM_ARRAY_TASK_ID");
        try {
            Files.createDirectories(cell(id));
            Files.deleteIfExists(cell(id).resolve("failed"));
            Files.deleteIfExists(cell(id).resolve(LEGACY_MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Heartbeat.Writer(cell(id).resolve(Heartbeat.FILE), host(), job);
    }

    /** Ends a cell's run: its heartbeat goes; a {@code failure} is kept as the reason. */
    public void markFinished(String id, String failure) {
        if (failure != null) {
            AtomicFiles.writeStringUnchecked(cell(id).resolve("failed"), failure.strip() + "\n");
        }
        try {
            Files.deleteIfExists(cell(id).resolve(Heartbeat.FILE));
            Files.deleteIfExists(cell(id).resolve(LEGACY_MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the process a legacy marker ("host H pid P") names is alive; one on another host is taken as alive. */
    static boolean alive(String marker) {
        String[] w = marker.strip().split("\\s+");
        if (w.length < 4 || !w[0].equals("host") || !w[2].equals("pid")) {
            return false;
        }
        if (!w[1].equals(host())) {
            return true;
        }
        return ProcessHandle.of(Long.parseLong(w[3])).map(ProcessHandle::isAlive).orElse(false);
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * The command that starts a JVM like this one on the CLI: the same java, JVM options (agents left out)
     * and class path, so that a cell started by a worker or a Slurm task runs the same build.
     */
    public static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        boolean vector = false;
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-javaagent") || a.startsWith("-agentlib") || a.startsWith("-agentpath") || a.startsWith("-Xrunjdwp")) {
                continue;
            }
            vector |= a.contains("jdk.incubator.vector");
            cmd.add(a);
        }
        if (!vector) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.add("-cp");
        List<String> cp = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            cp.add(Path.of(p).toAbsolutePath().toString());
        }
        cmd.add(String.join(java.io.File.pathSeparator, cp));
        cmd.add("relutornado.cli.Main");
        return cmd;
    }

    static String read(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.readString(f) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Counts per state, in enum order. */
    public Map<State, Integer> counts() {
        Map<State, Integer> n = new LinkedHashMap<>();
        for (State s : State.values()) {
            n.put(s, 0);
        }
        for (Entry e : readGrid().cells()) {
            n.merge(status(e.id()).state(), 1, Integer::sum);
        }
        return n;
    }
}
