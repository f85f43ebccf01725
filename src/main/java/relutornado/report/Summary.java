package relutornado.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import relutornado.metrics.ClassificationReport;

/** The human summary.md of a run, generated from its {@link RunReport}. */
final class Summary {
    private Summary() {
    }

    /** The dying-ReLU table and the class deaths (nothing for a run written before the analysis existed). */
    private static void dyingRelu(StringBuilder md, RunReport.DyingRelu d) {
        if (d == null) {
            return;
        }
        md.append("\n\n## Dying ReLU (validation rows; last epoch, mean over folds)\n\n");
        MarkdownTable t = new MarkdownTable(1, "layer", "units", "dead units %", "most dead % (any epoch)", "zero activations %");
        for (RunReport.LayerActivity l : d.layers()) {
            t.row(l.layer(), l.units(), String.format(Locale.ROOT, "%.2f", 100 * l.deadFractionLastEpoch()),
                    String.format(Locale.ROOT, "%.2f", 100 * l.maxDeadFraction()), String.format(Locale.ROOT, "%.2f", 100 * l.sparsityLastEpoch()));
        }
        md.append(t);
        if (d.classDeaths() != null) {
            md.append(d.classDeaths().isEmpty() ? "\nNo class of the ReLU head died.\n"
                    : "\nClasses that died (ReLU output 0 for every validation row): " + d.classDeaths().stream()
                    .map(c -> String.format(Locale.ROOT, "class %s in fold %d epoch %d", c.className(), c.fold(), c.epoch()))
                    .collect(Collectors.joining("; ")) + ".\n");
        }
    }

    static String markdown(RunReport r) {
        RunReport.Settings s = r.settings();
        RunReport.Results res = r.results();
        RunReport.Preprocessing p = r.data().preprocessing();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# %s %s-%s on %s%n%n", s.protocol(), s.model().name(), s.head().title(),
                s.dataset()));
        md.append(String.format(Locale.ROOT, "- model: %s, %d parameters%n", s.architecture(), s.parameters()));
        String scaling = r.pixels() ? "pixels /255 (not standardised)"
                : p.standardScaler() != null ? "standardised" : "off (raw features, as the author)";
        md.append(String.format(Locale.ROOT, "- data: %d training rows, %d test rows; input %s, %s%s%n", r.data().trainRows(),
                r.data().testRows(), s.input(), scaling, p.pcaComponents() != null ? ", PCA " + p.pcaComponents() : ""));
        md.append(String.format(Locale.ROOT, "- training: %d folds, %d epochs, batch %d, Adam lr %g, seed %d%n", s.folds(),
                s.epochs(), s.batch(), s.optimizer().lr(), s.seed()));
        md.append(String.format(Locale.ROOT, "- engine: %s (%s)%n%n", r.engine().name(), r.engine().device()));
        ClassificationReport.Averages w = res.weightedAvg();
        md.append(new MarkdownTable("CV acc % (mean ± sd)", "test acc %", "P / R / F1 (weighted)", "dead output rows")
                .row(String.format(Locale.ROOT, "%.2f ± %.2f", 100 * res.cvAccuracyMean(), 100 * res.cvAccuracyStd()),
                        String.format(Locale.ROOT, "%.2f", 100 * res.testAccuracy()), PaperTable.prf(w.precision(), w.recall(), w.f1()),
                        res.deadOutputRows())).append('\n');
        md.append("Fold validation accuracies: ").append(Arrays.stream(res.foldValAccuracy())
                .mapToObj(a -> String.format(Locale.ROOT, "%.4f", a)).collect(Collectors.joining(", ")));
        dyingRelu(md, res.dyingRelu());
        md.append(String.format(Locale.ROOT, "%nTraining throughput: %.0f samples/s (mean over epochs).", res.trainSamplesPerSecond()));
        RunReport.Timings t = r.timings();
        md.append(String.format(Locale.ROOT, "%n%nTimings (s): preprocessing %.1f; cross-validation %.1f; %stest %.1f; total %.1f%n",
                t.preprocessSeconds(), t.cvSeconds(), Double.isNaN(t.finalTrainingSeconds()) ? ""
                        : String.format(Locale.ROOT, "final training %.1f; ", t.finalTrainingSeconds()), t.testSeconds(), t.totalSeconds()));
        md.append("\nFiles: report.html (every figure and table of the run in one page), folds.csv (per-epoch curves, dying-ReLU "
                + "figures, samples/s), accuracy.png, loss.png, confusion.png, dead_units.png, sparsity.png, metrics.csv, confusion.csv, "
                + "predictions.csv, result.csv, run.json.\n");
        return md.toString();
    }
}
