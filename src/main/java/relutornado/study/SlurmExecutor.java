package relutornado.study;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a study's pending cells as a Slurm job array: DIR/slurm/array.sbatch (one task per pending cell,
 * a '%' throttle, partition/time/mem/gres from the flags or the file's slurm: section), then a merge job that
 * waits for every task with --dependency=afterok (with DependencyParameters=kill_invalid_depend, a failed task
 * cancels it instead of leaving it pending). A task that is killed, preempted or requeued resumes its cell
 * from the cell's checkpoint; re-running 'study run' submits only the cells not done.
 */
public final class SlurmExecutor {

    /** sbatch settings; null = Slurm's default. throttle: at most that many tasks at once (0 = no limit). */
    public record Options(String partition, String time, String mem, String gres, int throttle, Integer cpusPerTask) {
        public Options {
            if (throttle < 0) {
                throw new IllegalArgumentException("--throttle must be >= 0 (0 = no limit), got " + throttle);
            }
            if (cpusPerTask != null && cpusPerTask < 1) {
                throw new IllegalArgumentException("--cpus-per-task must be >= 1, got " + cpusPerTask);
            }
        }
    }

    /** Submitted job ids. */
    public record Jobs(String array, String merge) {
    }

    private SlurmExecutor() {
    }

    /** The array job's script: one task per cell, the cell picked by SLURM_ARRAY_TASK_ID. */
    public static String arrayScript(StudyDir dir, String name, List<String> cellIds, Options o, List<String> extraFlags) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(name).append('\n');
        s.append("#SBATCH --array=0-").append(cellIds.size() - 1).append(o.throttle() > 0 ? "%" + o.throttle() : "").append('\n');
        s.append("#SBATCH --output=").append(dir.dir().resolve("slurm")).append("/%A_%a.out\n");
        // a preempted or failed node requeues the task; the cell resumes from its checkpoint
        s.append("#SBATCH --requeue\n");
        header(s, o);
        s.append("# relu-tornado study: ").append(cellIds.size()).append(" cell(s) of ").append(dir.dir()).append('\n');
        s.append("cells=(");
        for (String id : cellIds) {
            s.append(' ').append(quote(id));
        }
        s.append(" )\n");
        List<String> cmd = new ArrayList<>(StudyDir.javaCommand());
        cmd.addAll(List.of("study", "cell", dir.dir().toString()));
        s.append("exec");
        for (String c : cmd) {
            s.append(' ').append(quote(c));
        }
        s.append(" \"${cells[$SLURM_ARRAY_TASK_ID]}\" --");
        for (String f : extraFlags) {
            s.append(' ').append(quote(f));
        }
        s.append('\n');
        return s.toString();
    }

    /** The merge job's script ('study merge DIR'), run once every array task has succeeded. */
    public static String mergeScript(StudyDir dir, String name, Options o) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(name).append("-merge\n");
        s.append("#SBATCH --output=").append(dir.dir().resolve("slurm")).append("/merge-%j.out\n");
        header(s, new Options(o.partition(), o.time(), null, null, 0, 1));
        s.append("exec");
        List<String> cmd = new ArrayList<>(StudyDir.javaCommand());
        cmd.addAll(List.of("study", "merge", dir.dir().toString()));
        for (String c : cmd) {
            s.append(' ').append(quote(c));
        }
        s.append('\n');
        return s.toString();
    }

    private static void header(StringBuilder s, Options o) {
        if (o.partition() != null) {
            s.append("#SBATCH --partition=").append(o.partition()).append('\n');
        }
        if (o.time() != null) {
            s.append("#SBATCH --time=").append(o.time()).append('\n');
        }
        if (o.mem() != null) {
            s.append("#SBATCH --mem=").append(o.mem()).append('\n');
        }
        if (o.gres() != null) {
            s.append("#SBATCH --gres=").append(o.gres()).append('\n');
        }
        if (o.cpusPerTask() != null) {
            s.append("#SBATCH --cpus-per-task=").append(o.cpusPerTask()).append('\n');
        }
    }

    /** Submits the array and the merge job (scripts already written); returns their ids. */
    public static Jobs submit(Path arrayScript, Path mergeScript) {
        String array = sbatch(List.of("sbatch", "--parsable", arrayScript.toString()));
        String merge = sbatch(List.of("sbatch", "--parsable", "--dependency=afterok:" + array, mergeScript.toString()));
        return new Jobs(array, merge);
    }

    /** Whether squeue still lists any of the jobs; a controller that does not answer for a minute is an error. */
    public static boolean queued(Jobs jobs) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Out r = exec(List.of("squeue", "--noheader", "--format=%i %T", "--jobs=" + jobs.array() + "," + jobs.merge()));
            if (r.code == 0) {
                return !r.stdout.isBlank();
            }
            // squeue refuses ids it no longer knows (finished long ago): nothing queued then
            if (r.stderr.contains("Invalid job id")) {
                return false;
            }
            if (attempt == 30) {
                throw new IllegalStateException("squeue failed 30 times while waiting for " + describe(jobs) + ": " + r.stderr.strip()
                        + " (the jobs may still run: 'relu-tornado study status DIR')");
            }
            Thread.sleep(2000);
        }
    }

    private static String sbatch(List<String> cmd) {
        Out r = exec(cmd);
        if (r.code != 0) {
            throw new IllegalStateException("sbatch refused " + cmd.get(cmd.size() - 1) + " (exit " + r.code + "): " + r.stderr.strip());
        }
        String id = r.stdout.strip().split(";")[0];
        if (!id.matches("\\d+")) {
            throw new IllegalStateException("sbatch gave no job id for " + cmd.get(cmd.size() - 1) + ": '" + r.stdout.strip() + "'");
        }
        return id;
    }

    private record Out(int code, String stdout, String stderr) {
    }

    private static Out exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            return new Out(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("--executor slurm: cannot run " + cmd.get(0) + " (" + e.getMessage() + "); it needs Slurm's "
                    + "client commands on PATH (scripts/slurm-local.sh start brings up a one-node cluster)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd.get(0));
        }
    }

    /** A word for bash: single-quoted unless it needs no quotes. */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String describe(Jobs j) {
        return String.format(Locale.ROOT, "array job %s, merge job %s", j.array(), j.merge());
    }
}
