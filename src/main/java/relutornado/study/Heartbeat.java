package relutornado.study;

import relutornado.metrics.Stats;
import relutornado.io.AtomicFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import relutornado.train.Experiment;

/**
 * What a running cell writes to its folder (heartbeat.json, atomically): who runs it, when it last wrote, and how far it is.
 * A cell's process writes it when it starts, after every epoch, and every {@link #EVERY_SECONDS} seconds in between (data
 * loading, PCA, testing and long epochs write too). A heartbeat older than {@link #staleAfter()} means the process died or
 * hung, on whatever host: 'study status' calls the cell stale and 'study run' takes it over from its checkpoint.
 *
 * @param host               the host name of the process
 * @param pid                its process id
 * @param slurmJob           "ARRAYJOB_TASK" when a Slurm array task runs it, else ""
 * @param time               when it was written (ISO-8601, the writer's clock)
 * @param fold               the fold of the last finished epoch (0: the final model), or -1 before the first
 * @param epoch              the last finished epoch within that fold, or 0 before the first
 * @param medianEpochSeconds the median wall time of the epochs this process finished; NaN (written as null) before the first
 */
public record Heartbeat(String host, long pid, String slurmJob, String time, int fold, int epoch, Double medianEpochSeconds) {

    /** The file in the cell folder. */
    public static final String FILE = "heartbeat.json";
    /** Seconds between two heartbeats of a process whose epoch has not ended yet. */
    public static final int EVERY_SECONDS = 60;
    /** A heartbeat is stale after this many of the cell's median epochs... */
    public static final int STALE_EPOCHS = 3;
    /** ...and never before this many seconds (five missed {@link #EVERY_SECONDS} beats; clock skew between hosts). */
    public static final int STALE_FLOOR_SECONDS = 300;

    /** How old this heartbeat may be while its cell still counts as running: max(3 × median epoch seconds, 5 min). */
    public Duration staleAfter() {
        double epochs = medianEpochSeconds == null || medianEpochSeconds.isNaN() ? 0 : STALE_EPOCHS * medianEpochSeconds;
        return Duration.ofMillis(Math.round(1000 * Math.max(epochs, STALE_FLOOR_SECONDS)));
    }

    /** The heartbeat's age at {@code now} (negative when the writer's clock is ahead). */
    public Duration age(Instant now) {
        return Duration.between(Instant.parse(time), now);
    }

    public boolean stale(Instant now) {
        return age(now).compareTo(staleAfter()) > 0;
    }

    /** "fold 3 epoch 12" (fold 0 is the final model), or "starting". */
    public String progress() {
        if (fold < 0) {
            return "starting";
        }
        return (fold == 0 ? "final model" : "fold " + fold) + " epoch " + epoch;
    }

    /** "45 s", "12 min", "3.2 h". */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (Math.abs(s) < 120) {
            return s + " s";
        }
        if (Math.abs(s) < 2 * 3600) {
            return Math.round(s / 60.0) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }

    /**
     * Keeps a cell's heartbeat.json current while the cell runs: an {@link Experiment.EpochListener} for the epochs and a
     * daemon timer for the time between them. Closing stops the timer; the file stays (the caller removes it when the
     * cell ends), so a process that dies leaves its last heartbeat behind.
     */
    public static final class Writer implements Experiment.EpochListener, AutoCloseable {
        private final Path file;
        private final String host;
        private final String slurmJob;
        private final List<Double> epochSeconds = new ArrayList<>();
        private final ScheduledExecutorService timer;
        private int fold = -1;
        private int epoch;

        Writer(Path file, String host, String slurmJob) {
            this.file = file;
            this.host = host;
            this.slurmJob = slurmJob;
            write();
            timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("heartbeat").unstarted(r));
            timer.scheduleAtFixedRate(this::beat, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public synchronized void epochDone(int fold, int epoch, double seconds) {
            this.fold = fold;
            this.epoch = epoch;
            epochSeconds.add(seconds);
            write();
        }

        /** The timer's beat: a failed write is reported and the next beat tries again (an exception would end the timer). */
        private void beat() {
            try {
                write();
            } catch (RuntimeException e) {
                System.err.println("relu-tornado: heartbeat: " + e.getMessage());
            }
        }

        private synchronized void write() {
            Double median = epochSeconds.isEmpty() ? null : Stats.median(epochSeconds.stream().mapToDouble(Double::doubleValue).toArray());
            Heartbeat h = new Heartbeat(host, ProcessHandle.current().pid(), slurmJob, Instant.now().toString(), fold, epoch, median);
            AtomicFiles.writeStringUnchecked(file, StudyDir.GSON.toJson(h) + "\n");
        }

        @Override
        public void close() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
