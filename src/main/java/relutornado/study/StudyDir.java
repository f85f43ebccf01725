package relutornado.study;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * DIR/cells/ID/          an ordinary run folder (train --out), plus cell.log, running (who runs it), failed (why not)
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

    public enum State { DONE, RUNNING, FAILED, PENDING }

    /** A cell's state; {@code note} says why it failed, who runs it, or where an interrupted run will resume. */
    public record Status(State state, String note) {
    }

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
        Path c = cell(id);
        if (Files.isRegularFile(c.resolve("run.json")) && !Files.exists(Checkpoint.path(c))) {
            return new Status(State.DONE, "");
        }
        String running = read(c.resolve("running"));
        if (running != null && alive(running)) {
            return new Status(State.RUNNING, running.strip());
        }
        String failed = read(c.resolve("failed"));
        if (failed != null) {
            return new Status(State.FAILED, failed.strip().lines().findFirst().orElse(""));
        }
        String note = "";
        if (Files.exists(Checkpoint.path(c))) {
            try {
                Checkpoint cp = Checkpoint.read(c);
                note = "resumes at unit " + (cp.unit() + 1) + " after epoch " + cp.epochsDone();
            } catch (RuntimeException e) {
                note = "checkpoint unreadable: " + e.getMessage();
            }
        }
        if (running != null) {
            note = ("stopped without finishing (killed?); " + note).strip();
        }
        return new Status(State.PENDING, note);
    }

    /** Marks a cell as run by this process (host, pid and the Slurm job, if any), clearing an old failure. */
    public void markRunning(String id) {
        String job = System.getenv("SLURM_JOB_ID") == null ? "" : " slurm job " + System.getenv("SLURM_ARRAY_JOB_ID") + "_"
                + System.getenv("SLURM_ARRAY_TASK_ID");
        try {
            Files.createDirectories(cell(id));
            Files.deleteIfExists(cell(id).resolve("failed"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeStringUnchecked(cell(id).resolve("running"),
                "host " + host() + " pid " + ProcessHandle.current().pid() + job + "\n");
    }

    public void markFinished(String id, String failure) {
        if (failure != null) {
            AtomicFiles.writeStringUnchecked(cell(id).resolve("failed"), failure.strip() + "\n");
        }
        try {
            Files.deleteIfExists(cell(id).resolve("running"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the process a running marker names is alive; one on another host is taken as alive. */
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
