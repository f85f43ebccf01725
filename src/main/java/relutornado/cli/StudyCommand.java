package relutornado.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import relutornado.io.AtomicFiles;
import relutornado.study.Heartbeat;
import relutornado.study.LocalExecutor;
import relutornado.study.SlurmExecutor;
import relutornado.study.Study;
import relutornado.study.StudyDir;
import relutornado.study.StudyMerge;

/** {@code study run|status|merge}: grids of train runs, on this machine or as a Slurm job array. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Grids of train runs (a YAML study file), run here or on Slurm, resumable, merged into one table.",
        subcommands = {StudyCommand.Run.class, StudyCommand.Status.class, StudyCommand.Merge.class, StudyCommand.Cell.class})
final class StudyCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code study run --executor}: where the cells run. */
    enum Executor {
        LOCAL, SLURM;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The train flags a study file may set. */
    static Study.Flags trainFlags() {
        Set<String> names = new LinkedHashSet<>();
        Set<String> switches = new LinkedHashSet<>();
        for (OptionSpec o : new CommandLine(new TrainCommand()).getCommandSpec().options()) {
            String n = o.longestName().replaceFirst("^--", "");
            // a cell always resumes in its own folder: --out, --resume and --overwrite are the runner's
            if (o.usageHelp() || o.versionHelp() || n.equals("out") || n.equals("resume") || n.equals("overwrite")) {
                continue;
            }
            names.add(n);
            if (o.arity().max() == 0) {
                switches.add(n);
            }
        }
        return new Study.Flags(names, switches);
    }

    /** Parses train flags as 'train' does (later flags win); a refused value is an IllegalArgumentException naming the flag. */
    static TrainCommand parseTrain(List<String> args) {
        TrainCommand t = new TrainCommand();
        CommandLine cl = Main.commandLine(t);
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return t;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Expand FILE's grid into cells (DIR/cells/ID), run the cells not done, merge (study.csv, table.md).")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "the study file (YAML)")
        Path file;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "the study folder")
        Path out;
        @Option(names = "--executor", defaultValue = "local", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        Executor executor;
        @Option(names = "--devices", split = ",", paramLabel = "DEV",
                description = "local: one worker per entry, each running cells on it: java, java-parallel, java-parallel/THREADS, "
                        + "tornado, or a TornadoVM device as --device takes it, 0:1 or spirv:pocl (overrides the cells' engine flags); default: one worker, the "
                        + "cells' own flags. slurm: at most one entry, applied to every task")
        List<String> devices;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "replace or add a key of the study file; VALUE is YAML, "
                + "a list makes an axis (--set seed=[1,2,3,4,5] --set engine=tornado)")
        Map<String, String> set = new java.util.LinkedHashMap<>();
        @Option(names = "--dry-run", description = "print the cells (and the sbatch script) and stop")
        boolean dryRun;
        @Option(names = "--no-wait", description = "slurm: return once the jobs are submitted")
        boolean noWait;
        @Option(names = "--partition", description = "slurm: partition (default: the file's slurm.partition, else Slurm's)")
        String partition;
        @Option(names = "--time", description = "slurm: time limit per task, e.g. 4:00:00")
        String time;
        @Option(names = "--mem", description = "slurm: memory per task, e.g. 12G")
        String mem;
        @Option(names = "--gres", description = "slurm: generic resources per task, e.g. gpu:1")
        String gres;
        @Option(names = "--throttle", description = "slurm: at most N tasks at once (the array's %%N; default: the file's, else none)")
        Integer throttle;
        @Option(names = "--cpus-per-task", description = "slurm: CPUs per task")
        Integer cpusPerTask;
        @Option(names = "--data-dir", defaultValue = "${env:RELU_TORNADO_DATA:-data}",
                description = "data folder, for cells whose file sets none (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Study.Flags flags = trainFlags();
            Study study = Study.read(file, flags, set);
            List<LocalExecutor.Device> placement = new ArrayList<>();
            if (devices == null || devices.isEmpty()) {
                placement.add(new LocalExecutor.Device("", List.of()));
            } else {
                for (String d : devices) {
                    placement.add(LocalExecutor.Device.parse(d));
                }
            }
            if (executor == Executor.SLURM && placement.size() > 1) {
                throw new IllegalArgumentException("--devices: the slurm executor takes one entry (every task runs on its own node's device)");
            }
            StudyDir dir = new StudyDir(out);
            List<StudyDir.Entry> entries = new ArrayList<>();
            String data = dataDir.toAbsolutePath().toString();
            // every cell's flags are checked (as train would, with every placement) before anything runs
            List<Study.Cell> cells = study.cells(c -> {
                List<String> args = new ArrayList<>(c.args(flags.switches()));
                if (!c.settings().containsKey("data-dir")) {
                    args.addAll(List.of("--data-dir", data));
                }
                for (LocalExecutor.Device d : placement) {
                    List<String> all = new ArrayList<>(args);
                    all.addAll(d.flags());
                    all.addAll(List.of("--out", dir.cell(c.id()).toString()));
                    parseTrain(all).config();
                }
                entries.add(new StudyDir.Entry(c.id(), c.settings(), args));
            });
            // pending, failed and stale cells run (a stale one resumes from its checkpoint); done and running ones do not
            List<StudyDir.Entry> pending = new ArrayList<>();
            List<String> takenOver = new ArrayList<>();
            for (StudyDir.Entry e : entries) {
                StudyDir.Status s = Files.isDirectory(dir.cell(e.id())) ? dir.status(e.id()) : new StudyDir.Status(StudyDir.State.PENDING, "");
                if (s.state() != StudyDir.State.DONE && s.state() != StudyDir.State.RUNNING) {
                    pending.add(e);
                }
                if (s.state() == StudyDir.State.STALE) {
                    takenOver.add(e.id() + " (" + s.note() + ")");
                }
            }
            SlurmExecutor.Options slurm = new SlurmExecutor.Options(
                    partition != null ? partition : study.slurm().get("partition"),
                    time != null ? time : study.slurm().get("time"),
                    mem != null ? mem : study.slurm().get("mem"),
                    gres != null ? gres : study.slurm().get("gres"),
                    throttle != null ? throttle : Integer.parseInt(study.slurm().getOrDefault("throttle", "0")),
                    cpusPerTask != null ? cpusPerTask : study.slurm().containsKey("cpus-per-task")
                            ? Integer.valueOf(study.slurm().get("cpus-per-task")) : null);
            List<String> ids = pending.stream().map(StudyDir.Entry::id).toList();
            String jobName = "relu-tornado-" + study.name();
            System.err.printf(Locale.ROOT, "study %s: %d cell(s), %d to run -> %s%n", study.name(), entries.size(), pending.size(), dir.dir());
            for (String t : takenOver) {
                System.err.println("taking over stale cell " + t);
            }
            if (dryRun) {
                for (StudyDir.Entry e : entries) {
                    System.out.println((ids.contains(e.id()) ? "run  " : "done ") + e.id() + "  " + String.join(" ", e.args()));
                }
                if (executor == Executor.SLURM && !ids.isEmpty()) {
                    System.out.print(SlurmExecutor.arrayScript(dir, jobName, ids, slurm, placement.get(0).flags()));
                }
                return 0;
            }
            Files.createDirectories(dir.dir());
            Files.copy(file, dir.dir().resolve("study.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            dir.writeGrid(new StudyDir.Grid(study.name(), List.copyOf(study.axes()), entries));
            if (executor == Executor.LOCAL) {
                int failed = LocalExecutor.run(dir, pending, placement);
                System.out.print(StudyMerge.merge(dir));
                System.err.println("wrote " + dir.dir().resolve("study.csv") + " and " + dir.dir().resolve("table.md"));
                if (failed > 0) {
                    System.err.println("relu-tornado: " + failed + " cell(s) failed ('relu-tornado study status " + dir.dir()
                            + "' says why; 'study run' again runs them, resuming from their checkpoints)");
                    return 1;
                }
                return 0;
            }
            if (ids.isEmpty()) {
                System.out.print(StudyMerge.merge(dir));
                return 0;
            }
            Path slurmDir = Files.createDirectories(dir.dir().resolve("slurm"));
            Path arrayScript = slurmDir.resolve("array.sbatch");
            Path mergeScript = slurmDir.resolve("merge.sbatch");
            AtomicFiles.writeString(arrayScript, SlurmExecutor.arrayScript(dir, jobName, ids, slurm, placement.get(0).flags()));
            AtomicFiles.writeString(mergeScript, SlurmExecutor.mergeScript(dir, jobName, slurm));
            Path table = dir.dir().resolve("table.md");
            long before = Files.exists(table) ? Files.getLastModifiedTime(table).toMillis() : Long.MIN_VALUE;
            SlurmExecutor.Jobs jobs = SlurmExecutor.submit(arrayScript, mergeScript);
            Path jobsFile = slurmDir.resolve("jobs");
            String earlier = Files.exists(jobsFile) ? Files.readString(jobsFile) : "";
            AtomicFiles.writeString(jobsFile, earlier + jobs.array() + " array " + ids.size() + " cell(s)\n" + jobs.merge() + " merge\n");
            System.err.printf(Locale.ROOT, "submitted array job %s (%d task(s)) and merge job %s (afterok)%n", jobs.array(), ids.size(),
                    jobs.merge());
            if (noWait) {
                System.out.println(jobs.array() + " " + jobs.merge());
                return 0;
            }
            while (SlurmExecutor.queued(jobs)) {
                Thread.sleep(1000);
            }
            Map<StudyDir.State, Integer> n = dir.counts();
            boolean merged = Files.exists(table) && Files.getLastModifiedTime(table).toMillis() > before;
            if (n.get(StudyDir.State.DONE) == entries.size() && merged) {
                System.out.print(Files.readString(table));
                return 0;
            }
            System.err.println("relu-tornado: study " + study.name() + " not complete after jobs " + jobs.array() + " and " + jobs.merge()
                    + ": " + n + (merged ? "" : "; the merge job did not run") + " ('relu-tornado study status " + dir.dir() + "')");
            return 1;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Cells done, running (fresh heartbeat), stale (process gone or silent: host, heartbeat age), failed (why) and pending.")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() {
            StudyDir d = new StudyDir(dir);
            for (StudyDir.Entry e : d.readGrid().cells()) {
                StudyDir.Status s = d.status(e.id());
                System.out.printf(Locale.ROOT, "%-8s %s%s%n", s.state().name().toLowerCase(Locale.ROOT), e.id(),
                        s.note().isEmpty() ? "" : "  " + s.note());
            }
            StringBuilder sum = new StringBuilder();
            d.counts().forEach((k, v) -> sum.append(sum.isEmpty() ? "" : ", ").append(v).append(' ').append(k.name().toLowerCase(Locale.ROOT)));
            System.out.println(sum);
            return 0;
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, description = "Write DIR/study.csv (one row per cell) and DIR/table.md.")
    static final class Merge implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() {
            StudyDir d = new StudyDir(dir);
            System.out.print(StudyMerge.merge(d));
            System.err.println("wrote " + d.dir().resolve("study.csv") + " and " + d.dir().resolve("table.md"));
            return 0;
        }
    }

    @Command(name = "cell", hidden = true, description = "Run one cell of a study (what workers and Slurm tasks start).")
    static final class Cell implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;
        @Parameters(index = "1", paramLabel = "ID")
        String id;
        @Parameters(index = "2..*", paramLabel = "FLAG", description = "train flags that override the cell's (placement)")
        List<String> extra = new ArrayList<>();

        @Override
        public Integer call() {
            StudyDir d = new StudyDir(dir);
            StudyDir.Entry e = d.entry(id);
            if (d.status(id).state() == StudyDir.State.DONE) {
                // a requeued or repeated task: the cell finished already
                System.err.println("cell " + id + " is done already (" + d.cell(id) + ")");
                return 0;
            }
            List<String> args = new ArrayList<>(e.args());
            args.addAll(extra);
            args.addAll(List.of("--out", d.cell(id).toString(), "--resume"));
            int code;
            // the heartbeat's timer stops (close) before markFinished removes its file
            try (Heartbeat.Writer heartbeat = d.markRunning(id)) {
                TrainCommand train = parseTrain(args);
                train.onEpoch = heartbeat;
                code = train.call();
            } catch (RuntimeException | Error ex) {
                d.markFinished(id, ex.getClass().getSimpleName() + ": " + ex.getMessage());
                throw ex;
            }
            d.markFinished(id, null);
            return code;
        }
    }
}
