package relutornado.cv;

/** How cross-validation and the test evaluation are run. */
public enum Protocol {
    /**
     * The author's: one model carried across all folds (fit() called again per fold, optimiser state
     * kept), CV accuracy = each fold's validation accuracy after its training; test evaluated with the
     * final model.
     */
    PAPER,
    /** A fresh model per fold; the test set is evaluated by a fresh model trained on the whole training set. */
    SOUND;

    /** The flag value picocli matches. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
