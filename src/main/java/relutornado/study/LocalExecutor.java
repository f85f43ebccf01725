package relutornado.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a study's pending cells on this machine: one worker per entry of --devices, each taking the next
 * pending cell and running it in a JVM of its own ('study cell'), its output in the cell's cell.log.
 */
public final class LocalExecutor {

    /**
     * A worker's placement: the train flags that put a cell on it.
     *
     * @param label as given in --devices
     * @param flags train flags appended to the cell's (they win)
     */
    public record Device(String label, List<String> flags) {

        /** java, java-parallel, java-parallel/THREADS, tornado, or a TornadoVM device as --device takes it (0:1, spirv:pocl). */
        public static Device parse(String s) {
            String t = s.strip();
            if (t.equals("java") || t.equals("java-parallel") || t.equals("tornado")) {
                return new Device(t, List.of("--engine", t));
            }
            if (t.matches("java-parallel/\\d+")) {
                return new Device(t, List.of("--engine", "java-parallel", "--threads", t.substring(t.indexOf('/') + 1)));
            }
            if (relutornado.engine.DeviceInfo.isDeviceFlag(t)) {
                return new Device(t, List.of("--engine", "tornado", "--device", t));
            }
            throw new IllegalArgumentException("--devices: '" + s + "' is not java, java-parallel, java-parallel/THREADS, tornado "
                    + "or a TornadoVM device: BACKEND:DEVICE indices such as 0:1, or a name pattern such as spirv:pocl");
        }
    }

    private LocalExecutor() {
    }

    /** Runs the cells; returns how many failed. */
    public static int run(StudyDir dir, List<StudyDir.Entry> cells, List<Device> devices) {
        ConcurrentLinkedQueue<StudyDir.Entry> queue = new ConcurrentLinkedQueue<>(cells);
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < devices.size(); w++) {
            Device d = devices.get(w);
            String who = "worker " + (w + 1) + (d.label().isEmpty() ? "" : " (" + d.label() + ")");
            workers.add(Thread.ofPlatform().name(who).start(() -> {
                for (StudyDir.Entry e; (e = queue.poll()) != null; ) {
                    if (!runCell(dir, e, d, who)) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while cells were running");
            }
        }
        return failed.get();
    }

    private static boolean runCell(StudyDir dir, StudyDir.Entry e, Device d, String who) {
        List<String> cmd = new ArrayList<>(StudyDir.javaCommand());
        cmd.addAll(List.of("study", "cell", dir.dir().toString(), e.id(), "--"));
        cmd.addAll(d.flags());
        long t0 = System.nanoTime();
        System.err.printf(Locale.ROOT, "[%s] %s started%n", who, e.id());
        try {
            Files.createDirectories(dir.cell(e.id()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(java.lang.ProcessBuilder.Redirect.appendTo(dir.cell(e.id()).resolve("cell.log").toFile())).start();
            int code = p.waitFor();
            double s = (System.nanoTime() - t0) / 1e9;
            StudyDir.Status st = dir.status(e.id());
            if (code == 0 && st.state() == StudyDir.State.DONE) {
                System.err.printf(Locale.ROOT, "[%s] %s done (%.1f s)%n", who, e.id(), s);
                return true;
            }
            if (st.state() != StudyDir.State.FAILED) {
                // killed: the cell could not say why
                dir.markFinished(e.id(), "exit code " + code + (code > 128 ? " (signal " + (code - 128) + ")" : "")
                        + "; see " + dir.cell(e.id()).resolve("cell.log"));
                st = dir.status(e.id());
            }
            System.err.printf(Locale.ROOT, "[%s] %s FAILED (%.1f s): %s%n", who, e.id(), s, st.note());
            return false;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot start a JVM for cell " + e.id() + ": " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
