package relutornado.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import relutornado.cv.StratifiedKFold;
import relutornado.data.DataSources;
import relutornado.data.Dataset;
import relutornado.engine.Engine;
import relutornado.engine.Engines;
import relutornado.metrics.ClassificationReport;
import relutornado.metrics.ConfusionMatrix;
import relutornado.metrics.Stats;
import relutornado.model.ModelSpec;
import relutornado.model.Network;
import relutornado.preprocess.Pca;
import relutornado.preprocess.StandardScaler;
import relutornado.report.AtomicFiles;
import relutornado.report.CsvReports;
import relutornado.report.EpochRow;
import relutornado.report.Json;
import relutornado.report.PaperTable;
import relutornado.report.Plots;

/**
 * One {@code train} run: load, preprocess, cross-validate, evaluate on the test set, write reports.
 * Fold 0 in folds.csv is the final model trained on the whole training set (sound protocol).
 */
public final class Experiment {

    /** The note a run that stopped on an error leaves in its folder: the one-line message. */
    public static final String FAILED = "failed.txt";

    /** What a run measured; also written to the output folder. */
    public record Result(double[] foldAccuracies, double cvMean, double cvStd, double testAccuracy,
                         ClassificationReport report, ConfusionMatrix confusion, long deadRows, Path out) {
    }

    private final ExperimentConfig cfg;
    private final boolean progress;

    public Experiment(ExperimentConfig cfg, boolean progress) {
        this.cfg = cfg;
        this.progress = progress;
    }

    public Result run() {
        long t0 = System.nanoTime();
        Map<String, Object> timings = new LinkedHashMap<>();
        DataSources.Split split = DataSources.load(cfg.dataset(), cfg.dataDir(), cfg.paperSplit(), cfg.train().seed());
        Dataset train = split.train();
        Dataset test = split.test();
        if (cfg.limit() > 0 && cfg.limit() < train.rows()) {
            train = train.subset(stratifiedSample(train, cfg.limit(), cfg.train().seed()));
        }
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        try (Engine engine = Engines.create(cfg.engine())) {
            long tp = System.nanoTime();
            if (cfg.standardise()) {
                StandardScaler scaler = StandardScaler.fit(train.x(), train.rows(), train.features());
                train = train.withX(scaler.transform(train.x(), train.rows()), train.features());
                test = test.withX(scaler.transform(test.x(), test.rows()), test.features());
                preprocessing.put("standard_scaler", "fitted on the training set");
            }
            if (cfg.images() && cfg.input() == Input.PIXELS) {
                preprocessing.put("pixels", "scaled to [0, 1] (/255), not standardised");
            }
            if (cfg.usesPca()) {
                Pca pca = Pca.fit(train.x(), train.rows(), train.features(), cfg.pca(), engine);
                train = train.withX(pca.transform(train.x(), train.rows(), engine), cfg.pca());
                test = test.withX(pca.transform(test.x(), test.rows(), engine), cfg.pca());
                preprocessing.put("pca_components", cfg.pca());
                preprocessing.put("pca_explained_variance_ratio", pca.explainedVarianceRatio());
            }
            timings.put("preprocess_seconds", (System.nanoTime() - tp) / 1e9);

            ModelSpec spec = model(train);
            Network net = new Network(spec, cfg.train().batch());
            Trainer trainer = new Trainer(net, cfg.train(), progress);
            List<EpochRow> rows = new ArrayList<>();
            List<StratifiedKFold.Fold> folds = cfg.folds() == 1
                    ? List.of(StratifiedKFold.holdout(train.y(), train.classes(), 0.1, cfg.train().seed()))
                    : new StratifiedKFold(cfg.folds(), true, cfg.train().seed()).split(train.y(), train.classes());

            int[] testRows = new int[test.rows()];
            for (int i = 0; i < testRows.length; i++) {
                testRows[i] = i;
            }
            long deadRows = 0;
            double[] foldAcc = new double[folds.size()];
            Trainer.Pass testPass = null;
            long tcv = System.nanoTime();
            if (cfg.protocol() == Protocol.PAPER) {
                net.initialise(cfg.train().seed());
                trainer.resetOptimizer();
            }
            for (int f = 0; f < folds.size(); f++) {
                StratifiedKFold.Fold fold = folds.get(f);
                if (cfg.protocol() == Protocol.SOUND) {
                    net.initialise(foldSeed(cfg.train().seed(), f + 1));
                    trainer.resetOptimizer();
                }
                // paper protocol: the model after the last fold is the one the author tested
                boolean last = cfg.protocol() == Protocol.PAPER && f == folds.size() - 1;
                FoldOutcome o = trainFold(engine, net, trainer, train, fold.train(), fold.validation(), f + 1, rows,
                        last ? test : null, testRows);
                foldAcc[f] = o.lastValAccuracy;
                deadRows += o.deadRows;
                if (last) {
                    testPass = o.test;
                }
            }
            timings.put("cv_seconds", (System.nanoTime() - tcv) / 1e9);

            if (cfg.protocol() == Protocol.SOUND) {
                long tf = System.nanoTime();
                net.initialise(cfg.train().seed());
                trainer.resetOptimizer();
                int[] all = new int[train.rows()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                FoldOutcome o = trainFold(engine, net, trainer, train, all, null, 0, rows, test, testRows);
                deadRows += o.deadRows;
                testPass = o.test;
                timings.put("final_training_seconds", (System.nanoTime() - tf) / 1e9);
            }
            timings.put("test_seconds", testPass.seconds());
            timings.put("total_seconds", (System.nanoTime() - t0) / 1e9);

            ConfusionMatrix cm = new ConfusionMatrix(test.y(), testPass.predicted(), test.classes());
            ClassificationReport report = ClassificationReport.of(cm, test.classNames());
            Result result = new Result(foldAcc, Stats.mean(foldAcc), Stats.std(foldAcc), cm.accuracy(), report, cm, deadRows, cfg.out());
            writeReports(result, rows, testPass, test, split, spec, net, engine, preprocessing, timings, train.rows());
            return result;
        }
    }

    /**
     * The model for the prepared features: the author's FFNN for the data set, or the CNN on the features
     * read as one square image (256 PCA components → 16×16, 784 pixels → 28×28).
     */
    private ModelSpec model(Dataset train) {
        if (cfg.model().equals("cnn")) {
            int side = (int) Math.round(Math.sqrt(train.features()));
            if (side * side != train.features()) {
                throw new IllegalArgumentException("--model cnn reads each row as a square image; " + train.features()
                        + " features are not one");
            }
            return ModelSpec.cnn(1, side, side, train.classes(), cfg.head());
        }
        return ModelSpec.ffnn(cfg.dataset(), train.features(), train.classes(), cfg.head());
    }

    private record FoldOutcome(double lastValAccuracy, long deadRows, Trainer.Pass test) {
    }

    /**
     * Trains one fold in one engine session (STATE moves to the device once, back once at the end);
     * when {@code test} is given, the trained model also scores it in that session.
     */
    private FoldOutcome trainFold(Engine engine, Network net, Trainer trainer, Dataset train, int[] trainRows, int[] valRows,
                                  int fold, List<EpochRow> rows, Dataset test, int[] testRows) {
        Trainer.Pass testPass = null;
        double lastVal = Double.NaN;
        long dead = 0;
        try (Engine.Session session = engine.open(net.program())) {
            session.takeProfile();
            for (int epoch = 1; epoch <= cfg.train().epochs(); epoch++) {
                String label = (fold == 0 ? "final" : "fold " + fold) + " epoch " + epoch;
                Trainer.Pass tr;
                Trainer.Pass val;
                try {
                    tr = trainer.trainEpoch(session, train, trainRows, label);
                    val = valRows == null ? null : trainer.evaluate(session, train, valRows);
                } catch (NonFiniteException e) {
                    throw keepFinished(rows, e.at(fold, epoch));
                } catch (IllegalStateException e) {
                    throw keepFinished(rows, e); // a device fault mid-run (DeviceFault's one line)
                }
                Map<String, Double> extra = new LinkedHashMap<>();
                extra.put("epoch_seconds", tr.seconds());
                extra.put("val_seconds", val == null ? Double.NaN : val.seconds());
                extra.putAll(session.takeProfile());
                rows.add(new EpochRow(fold, epoch, tr.loss(), tr.accuracy(), val == null ? Double.NaN : val.loss(),
                        val == null ? Double.NaN : val.accuracy(), tr.deadRows(), extra));
                dead += tr.deadRows();
                writeFolds(rows); // finished epochs survive a later fault or kill
                if (val != null) {
                    lastVal = val.accuracy();
                }
                if (!progress) {
                    System.err.printf(java.util.Locale.ROOT, "%s: loss %.4f acc %.4f%s (%.1f s)%n", label, tr.loss(), tr.accuracy(),
                            val == null ? "" : String.format(java.util.Locale.ROOT, ", val loss %.4f acc %.4f", val.loss(), val.accuracy()),
                            tr.seconds());
                }
            }
            if (test != null) {
                testPass = trainer.evaluate(session, test, testRows);
            }
            session.syncState();
        }
        return new FoldOutcome(lastVal, dead, testPass);
    }

    private void writeFolds(List<EpochRow> rows) {
        try {
            CsvReports.writeFolds(cfg.out().resolve("folds.csv"), rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + cfg.out().resolve("folds.csv") + ": " + e.getMessage(), e);
        }
    }

    /** A run stopped by a fault keeps the epochs it finished (folds.csv) and says why in failed.txt. */
    private RuntimeException keepFinished(List<EpochRow> rows, RuntimeException fault) {
        writeFolds(rows);
        try {
            AtomicFiles.writeString(cfg.out().resolve(FAILED), fault.getMessage() + "\n");
        } catch (IOException e) {
            fault.addSuppressed(e);
        }
        return fault;
    }

    /** Seed of fold f's fresh model (sound protocol): distinct per fold, reproducible from --seed. */
    static long foldSeed(long seed, int fold) {
        return new SplittableRandom(seed * 1_000_003L + fold).nextLong();
    }

    /** Indices of a stratified random sample of `limit` rows (class proportions kept). */
    static int[] stratifiedSample(Dataset data, int limit, long seed) {
        StratifiedKFold.Fold f = StratifiedKFold.holdout(data.y(), data.classes(), 1.0 - (double) limit / data.rows(), seed);
        int[] idx = f.train();
        if (idx.length > limit) {
            idx = java.util.Arrays.copyOf(idx, limit);
        }
        return idx;
    }

    private void writeReports(Result r, List<EpochRow> rows, Trainer.Pass testPass, Dataset test, DataSources.Split split,
                              ModelSpec spec, Network net, Engine engine, Map<String, Object> preprocessing,
                              Map<String, Object> timings, int trainRows) {
        try {
            Path out = cfg.out();
            Files.createDirectories(out);
            CsvReports.writeFolds(out.resolve("folds.csv"), rows);
            CsvReports.writeMetrics(out.resolve("metrics.csv"), r.report());
            CsvReports.writeConfusion(out.resolve("confusion.csv"), r.confusion(), test.classNames());
            CsvReports.writePredictions(out.resolve("predictions.csv"), test.y(), testPass.predicted());
            Plots.writeCurves(out, rows, cfg.dataset() + " " + cfg.model() + "-" + cfg.head().flag() + " (" + cfg.protocol().flag() + ")");

            Map<String, Object> run = new LinkedHashMap<>();
            run.put("tool", "relu-tornado");
            run.put("created", Instant.now().toString());
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("dataset", cfg.dataset());
            settings.put("model", cfg.model());
            settings.put("architecture", spec.describe());
            settings.put("parameters", net.parameterCount());
            settings.put("head", cfg.head().flag());
            settings.put("protocol", cfg.protocol().flag());
            settings.put("folds", cfg.folds());
            settings.put("epochs", cfg.train().epochs());
            settings.put("batch", cfg.train().batch());
            settings.put("optimizer", ordered("name", "adam", "lr", cfg.train().lr(), "beta1", cfg.train().beta1(),
                    "beta2", cfg.train().beta2(), "epsilon", cfg.train().epsilon()));
            settings.put("seed", cfg.train().seed());
            settings.put("limit", cfg.limit());
            settings.put("input", cfg.images() ? cfg.input().flag() : "features");
            settings.put("input_shape", spec.inputShape());
            settings.put("scale", cfg.standardise());
            settings.put("paper_split", cfg.paperSplit());
            run.put("settings", settings);
            run.put("engine", ordered("name", engine.name(), "device", engine.device(),
                    "threads", cfg.engine().threads(), "profile", cfg.engine().profile()));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("train_rows", trainRows);
            data.put("test_rows", test.rows());
            data.put("features", spec.inputs());
            data.put("classes", test.classNames());
            List<Map<String, Object>> files = new ArrayList<>();
            for (DataSources.SourceFile f : split.files()) {
                files.add(ordered("path", f.path().toString(), "sha256", f.sha256()));
            }
            data.put("files", files);
            data.put("preprocessing", preprocessing);
            run.put("data", data);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("fold_val_accuracy", r.foldAccuracies());
            results.put("cv_accuracy_mean", r.cvMean());
            results.put("cv_accuracy_std", r.cvStd());
            results.put("test_accuracy", r.testAccuracy());
            results.put("test_loss", testPass.loss());
            results.put("weighted_avg", r.report().weightedAvg());
            results.put("macro_avg", r.report().macroAvg());
            results.put("dead_output_rows", r.deadRows());
            run.put("results", results);
            run.put("timings", timings);
            if (cfg.engine().profile()) {
                run.put("profile", profileTotals(rows));
            }
            run.put("environment", ordered("java", Runtime.version().toString(), "os", System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"), "cores", Runtime.getRuntime().availableProcessors()));
            AtomicFiles.writeString(out.resolve("run.json"), Json.write(run) + "\n");
            double seconds = (Double) timings.get("total_seconds");
            PaperTable.writeResult(out.resolve("result.csv"), new PaperTable.Row(cfg.dataset(), cfg.model(), cfg.head().flag(),
                    cfg.protocol().flag(), preprocessingLabel(spec), r.cvMean(), r.cvStd(), r.testAccuracy(), r.report().weightedAvg().precision(),
                    r.report().weightedAvg().recall(), r.report().weightedAvg().f1(), trainRows, cfg.train().epochs(), cfg.folds(),
                    engine.name() + (cfg.engine().device() == null ? "" : " " + cfg.engine().device()), seconds));
            AtomicFiles.writeString(out.resolve("summary.md"), Summary.markdown(cfg, spec, net.parameterCount(), engine, r, timings, trainRows, test.rows()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reports to " + cfg.out() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Device profiler figures summed over all epochs of all folds (per-epoch values are in folds.csv):
     * everything but the per-epoch wall times.
     */
    static Map<String, Object> profileTotals(List<EpochRow> rows) {
        Map<String, Object> totals = new LinkedHashMap<>();
        for (EpochRow row : rows) {
            row.extra().forEach((k, v) -> {
                if (!k.equals("epoch_seconds") && !k.equals("val_seconds") && !Double.isNaN(v)) {
                    totals.merge(k, v, (a, b) -> (Double) a + (Double) b);
                }
            });
        }
        return totals;
    }

    /**
     * How the inputs were prepared, for tables: raw, standardised, standardised+pca256, pixels/255; the CNN's
     * image shape after it ("standardised+pca256 16x16").
     */
    private String preprocessingLabel(ModelSpec spec) {
        String label = cfg.images() && cfg.input() == Input.PIXELS ? "pixels/255" : cfg.standardise() ? "standardised" : "raw";
        if (cfg.usesPca()) {
            label += "+pca" + cfg.pca();
        }
        int[] shape = spec.inputShape();
        return shape.length == 3 ? label + " " + shape[1] + "x" + shape[2] : label;
    }

    /** A map of alternating keys and values, in that order (Map.of has no fixed order; run.json should). */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
