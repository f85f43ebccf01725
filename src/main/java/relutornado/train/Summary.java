package relutornado.train;

import java.util.Locale;
import java.util.Map;
import relutornado.engine.Engine;
import relutornado.metrics.ClassificationReport;
import relutornado.model.ModelSpec;

/** The human summary.md of a run. */
final class Summary {
    private Summary() {
    }

    static String markdown(ExperimentConfig cfg, ModelSpec spec, int parameters, Engine engine, Experiment.Result r,
                           Map<String, Object> timings, int trainRows, int testRows, Map<String, Object> dying,
                           double samplesPerSecond) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "# %s %s-%s on %s%n%n", cfg.protocol().flag(), cfg.model().toUpperCase(Locale.ROOT),
                cfg.head() == relutornado.model.Head.RELU ? "ReLU" : "Softmax", cfg.dataset()));
        s.append(String.format(Locale.ROOT, "- model: %s, %d parameters%n", spec.describe(), parameters));
        String scaling = cfg.images() && cfg.input() == Input.PIXELS ? "pixels /255 (not standardised)"
                : cfg.standardise() ? "standardised" : "off (raw features, as the author)";
        s.append(String.format(Locale.ROOT, "- data: %d training rows, %d test rows; input %s, %s%s%n", trainRows, testRows,
                cfg.images() ? cfg.input().flag() : "features", scaling, cfg.usesPca() ? ", PCA " + cfg.pca() : ""));
        s.append(String.format(Locale.ROOT, "- training: %d folds, %d epochs, batch %d, Adam lr %g, seed %d%n", cfg.folds(),
                cfg.train().epochs(), cfg.train().batch(), cfg.train().lr(), cfg.train().seed()));
        s.append(String.format(Locale.ROOT, "- engine: %s (%s)%n%n", engine.name(), engine.device()));
        s.append("| CV acc % (mean ± sd) | test acc % | P / R / F1 (weighted) | dead output rows |\n|---|---|---|---|\n");
        ClassificationReport.Averages w = r.report().weightedAvg();
        s.append(String.format(Locale.ROOT, "| %.2f ± %.2f | %.2f | %.2f / %.2f / %.2f | %d |%n%n", 100 * r.cvMean(), 100 * r.cvStd(),
                100 * r.testAccuracy(), w.precision(), w.recall(), w.f1(), r.deadRows()));
        s.append("Fold validation accuracies: ");
        for (int i = 0; i < r.foldAccuracies().length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", r.foldAccuracies()[i]));
        }
        s.append("\n\n## Dying ReLU (validation rows; last epoch, mean over folds)\n\n");
        s.append("| layer | units | dead units % | most dead % (any epoch) | zero activations % |\n|---|---|---|---|---|\n");
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> layers = (java.util.List<Map<String, Object>>) dying.get("layers");
        for (Map<String, Object> l : layers) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", l.get("layer"), (Integer) l.get("units"),
                    100 * (Double) l.get("dead_fraction_last_epoch"), 100 * (Double) l.get("max_dead_fraction"),
                    100 * (Double) l.get("sparsity_last_epoch")));
        }
        if (r.deadClasses() != null && cfg.head() == relutornado.model.Head.RELU) {
            s.append(r.deadClasses().isEmpty() ? "\nNo class of the ReLU head died.\n" : "\nClasses that died (ReLU output 0 for every validation row): ");
            for (int i = 0; i < r.deadClasses().size(); i++) {
                Experiment.DeadClass d = r.deadClasses().get(i);
                s.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "class %s in fold %d epoch %d", d.className(), d.fold(), d.epoch()));
            }
            s.append(r.deadClasses().isEmpty() ? "" : ".\n");
        }
        s.append(String.format(Locale.ROOT, "%nTraining throughput: %.0f samples/s (mean over epochs).", samplesPerSecond));
        s.append("\n\nTimings (s): ");
        timings.forEach((k, v) -> s.append(k).append(' ').append(v instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : v).append("; "));
        s.append("\n\nFiles: folds.csv (per-epoch curves), accuracy.png, loss.png, metrics.csv, confusion.csv, predictions.csv, result.csv, run.json.\n");
        return s.toString();
    }
}
