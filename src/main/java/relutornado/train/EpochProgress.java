package relutornado.train;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import relutornado.report.EpochTime;

/**
 * The terminal progress bar of one training epoch: the running loss and accuracy while it trains, and at the end
 * the epoch's figures as Keras 2.1 (the author's) prints them ("loss: 0.2990 - acc: 0.9146 - val_loss: 0.1416 - val_acc:
 * 0.9571") and the throughput, left on the finished bar. Off a terminal it does nothing (the caller prints one line per
 * epoch instead). progressbar cuts a line at the terminal's width: the whole line needs about 120 columns.
 */
final class EpochProgress implements AutoCloseable {
    /** No bar: a run whose output is not a terminal. */
    static final EpochProgress NONE = new EpochProgress(null);

    private final ProgressBar bar;

    private EpochProgress(ProgressBar bar) {
        this.bar = bar;
    }

    static EpochProgress start(boolean terminal, String label, int batches) {
        return terminal ? new EpochProgress(new ProgressBarBuilder().setTaskName(label).setInitialMax(batches).continuousUpdate()
                .hideEta().build()) : NONE;
    }

    /** After a training batch: one step, the running means so far. */
    void batch(double loss, double accuracy) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, "loss: %.4f - acc: %.4f", loss, accuracy));
        }
    }

    /** Leaves {@code summary} on the finished bar. */
    void finish(String summary) {
        if (bar != null) {
            bar.setExtraMessage(summary);
            bar.close();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** An epoch's figures as Keras 2.1 prints them, then the training throughput. */
    static String keras(Trainer.Pass train, Trainer.Pass val) {
        return String.format(Locale.ROOT, "loss: %.4f - acc: %.4f%s - %.0f samples/s", train.loss(), train.accuracy(),
                val == null ? "" : String.format(Locale.ROOT, " - val_loss: %.4f - val_acc: %.4f", val.loss(), val.accuracy()),
                train.samplesPerSecond());
    }

    /** Where an epoch's wall time went: "epoch 1.20 s: steps 81 % (35000 samples/s), eval 9 %, batch 2 %, ...". */
    static String breakdown(EpochTime t) {
        return String.format(Locale.ROOT, "epoch %.2f s: steps %.0f %% (%.0f samples/s), eval %.0f %%, batch %.0f %%, bookkeeping %.0f %%,"
                + " checkpoint %.0f %%, other %.0f %%", t.wall(), 100 * t.stepShare(), t.stepSamplesPerSecond(), 100 * t.eval() / t.wall(),
                100 * t.batch() / t.wall(), 100 * t.bookkeeping() / t.wall(), 100 * t.checkpoint() / t.wall(), 100 * t.other() / t.wall());
    }
}
