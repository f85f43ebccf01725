package relutornado.train;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes checkpoints off the training thread, one at a time and in order: the next epoch trains while the last
 * checkpoint is serialised and forced to disk. The checkpoint itself is a snapshot taken on the training thread
 * (copies of the parameters and rows), so training cannot change what is written. A failed write surfaces at the
 * next {@link #write} or {@link #await}.
 */
final class CheckpointWriter implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "checkpoint-writer");
        t.setDaemon(true);
        return t;
    });
    private Future<?> pending;

    /** Starts writing {@code checkpoint} into {@code out}, after the write before it has finished. */
    void write(Checkpoint checkpoint, Path out) {
        await();
        pending = thread.submit(() -> checkpoint.write(out));
    }

    /** Waits for the pending write, if any; its failure is rethrown here. */
    void await() {
        if (pending == null) {
            return;
        }
        Future<?> p = pending;
        pending = null;
        try {
            p.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a checkpoint", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Finishes the pending write and stops the thread. */
    @Override
    public void close() {
        try {
            await();
        } finally {
            thread.shutdown();
        }
    }
}
