package relutornado.train;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes checkpoints off the training thread: the next epoch trains while the last checkpoint is serialised and forced
 * to disk. The checkpoint itself is a snapshot taken on the training thread (copies of the parameters and rows), so
 * training cannot change what is written. Only the newest matters: a checkpoint still waiting when a newer one comes
 * is skipped, so the training thread never waits for the disk. A failed write surfaces at the next {@link #write} or
 * {@link #await}.
 */
final class CheckpointWriter implements AutoCloseable {
    private record Job(Checkpoint checkpoint, Path out) {
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "checkpoint-writer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Job> next = new AtomicReference<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /** Queues {@code checkpoint} for {@code out}, replacing one not yet started. */
    void write(Checkpoint checkpoint, Path out) {
        rethrow();
        next.set(new Job(checkpoint, out));
        thread.execute(this::drain);
    }

    /** On the writer thread: the newest queued checkpoint, if another drain has not taken it. */
    private void drain() {
        Job job = next.getAndSet(null);
        if (job != null) {
            try {
                job.checkpoint().write(job.out());
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** Waits until every queued checkpoint is on disk; a failed write is rethrown here. */
    void await() {
        try {
            thread.submit(() -> { }).get(); // the thread runs in order: every earlier drain has finished
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a checkpoint", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        rethrow();
    }

    private void rethrow() {
        RuntimeException e = failure.getAndSet(null);
        if (e != null) {
            throw e;
        }
    }

    /** Finishes the queued write and stops the thread. */
    @Override
    public void close() {
        try {
            await();
        } finally {
            thread.shutdown();
        }
    }
}
