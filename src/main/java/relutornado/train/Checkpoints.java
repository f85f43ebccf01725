package relutornado.train;

/**
 * When a run writes its checkpoint and whether it continues from one.
 *
 * @param every  --checkpoint-every: also every N epochs within a fold, besides after each fold; 0 = after folds only
 * @param resume --resume: continue from the checkpoint in --out, if there is one
 */
public record Checkpoints(int every, boolean resume) {
    /** After every epoch, no resume: the train command's defaults. */
    public static final Checkpoints DEFAULT = new Checkpoints(1, false);

    public Checkpoints {
        if (every < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0 (0 = after each fold only), got " + every);
        }
    }
}
