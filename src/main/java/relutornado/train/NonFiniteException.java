package relutornado.train;

import java.util.Locale;

/**
 * Training diverged: a batch's loss or a parameter became NaN or infinite. The message is one line naming
 * the fold, epoch and batch, and the first layer (in layout order) holding a non-finite value; the CLI
 * prints it and exits with {@link #EXIT_CODE}.
 */
public final class NonFiniteException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** train's exit code when training diverged (2 is a bad flag or input). */
    public static final int EXIT_CODE = 3;

    private final int batch;
    private final String problem;

    private NonFiniteException(String message, int batch, String problem) {
        super(message);
        this.batch = batch;
        this.problem = problem;
    }

    /** Thrown inside an epoch: batch (1-based) and what is non-finite; {@link #at} adds fold and epoch. */
    static NonFiniteException of(int batch, String problem) {
        return new NonFiniteException("batch " + batch + ": " + problem, batch, problem);
    }

    /** The same fault with its place in the run: fold (0 = the final model), epoch, batch. */
    NonFiniteException at(int fold, int epoch) {
        String where = (fold == 0 ? "final model" : "fold " + fold) + ", epoch " + epoch + ", batch " + batch;
        return new NonFiniteException(String.format(Locale.ROOT, "training diverged at %s: %s (try a smaller --lr)", where, problem),
                batch, problem);
    }

    public int batch() {
        return batch;
    }
}
