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
import relutornado.cv.Protocol;
import relutornado.cv.StratifiedKFold;
import relutornado.data.DataSources;
import relutornado.data.Dataset;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.io.AtomicFiles;
import relutornado.metrics.ClassificationReport;
import relutornado.metrics.ConfusionMatrix;
import relutornado.metrics.Stats;
import relutornado.model.ModelKind;
import relutornado.model.ModelSpec;
import relutornado.model.Network;
import relutornado.preprocess.Input;
import relutornado.preprocess.Pca;
import relutornado.preprocess.StandardScaler;
import relutornado.report.CsvReports;
import relutornado.report.EpochRow;
import relutornado.report.EpochTime;
import relutornado.report.Plots;
import relutornado.report.Reports;
import relutornado.report.RunReport;

/**
 * One {@code train} run: load, preprocess, cross-validate, evaluate on the test set, write reports.
 * Fold 0 in folds.csv is the final model trained on the whole training set (sound protocol).
 */
public final class Experiment {

    /** The note a run that stopped on an error leaves in its folder: the one-line message. */
    public static final String FAILED = "failed.txt";

    private final ExperimentConfig cfg;
    private final boolean progress;
    private Checkpoints checkpoints = Checkpoints.DEFAULT;
    private EpochListener onEpoch = (fold, epoch, seconds) -> { };
    /** The run's checkpoint writer (set while {@link #run} runs). */
    private CheckpointWriter writer;

    public Experiment(ExperimentConfig cfg, boolean progress) {
        this.cfg = cfg;
        this.progress = progress;
    }

    /**
     * Checkpointing: a checkpoint after every fold and every {@code every} epochs within a fold (0 = after folds
     * only); with {@code resume}, the run continues from the checkpoint in its output folder, if there is one.
     */
    public Experiment checkpoints(Checkpoints checkpoints) {
        this.checkpoints = java.util.Objects.requireNonNull(checkpoints, "checkpoints");
        return this;
    }

    /** Told of every finished epoch (a study cell's heartbeat). */
    @FunctionalInterface
    public interface EpochListener {
        /** After epoch {@code epoch} of {@code fold} (0: the final model), written to folds.csv; its wall time in seconds. */
        void epochDone(int fold, int epoch, double seconds);
    }

    /** Reports every finished epoch to {@code listener}. */
    public Experiment onEpoch(EpochListener listener) {
        this.onEpoch = java.util.Objects.requireNonNull(listener);
        return this;
    }

    /** The training and test sets as read, the training set cut to --limit rows. */
    private record Loaded(DataSources.Split split, Dataset train, Dataset test) {
    }

    /** The sets as the model sees them (scaled, PCA), what was done to them and how long it took. */
    private record Prepared(Dataset train, Dataset test, RunReport.Preprocessing preprocessing, double seconds) {
    }

    /**
     * What the units of a run have produced so far, and what a checkpoint saves: folds.csv's rows, each fold's
     * validation accuracy (NaN until done) and the ReLU head's class deaths.
     */
    private static final class Progress {
        final List<EpochRow> rows = new ArrayList<>();
        final double[] foldAcc;
        final ClassDeaths classes = new ClassDeaths();

        Progress(int folds) {
            foldAcc = new double[folds];
            java.util.Arrays.fill(foldAcc, Double.NaN);
        }
    }

    /** The test pass of the tested model and the wall times of the CV folds and of the final model (NaN: none). */
    private record Trained(Trainer.Pass test, double cvSeconds, double finalSeconds) {
    }

    /** Runs the experiment, writes every report into {@code --out} and returns the run's record. */
    public RunReport run() {
        long t0 = System.nanoTime();
        Loaded data = load();
        try (Engine engine = Engines.create(cfg.engine()); CheckpointWriter writer = new CheckpointWriter()) {
            this.writer = writer;
            Prepared prepared = preprocess(data, engine);
            ModelSpec spec = model(prepared.train());
            Network net = new Network(spec, cfg.train().batch());
            Trainer trainer = new Trainer(net, cfg.train());
            List<StratifiedKFold.Fold> folds = folds(prepared.train());
            Progress done = new Progress(folds.size());
            Checkpoint from = resume(done, units(folds), net);
            Trained trained = trainUnits(engine, net, trainer, prepared, folds, done, from);
            RunReport run = reports(spec, net, engine, data, prepared, done, trained, (System.nanoTime() - t0) / 1e9);
            // the reports are complete: the run no longer needs its checkpoint, nor the note of an earlier fault it resumed past
            writer.await(); // a write still under way would bring the checkpoint back
            Checkpoint.delete(cfg.out());
            try {
                Files.deleteIfExists(cfg.out().resolve(FAILED));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + cfg.out().resolve(FAILED) + ": " + e.getMessage(), e);
            }
            return run;
        }
    }

    private Loaded load() {
        DataSources.Split split = DataSources.load(cfg.dataset(), cfg.dataDir(), cfg.paperSplit(), cfg.train().seed());
        Dataset train = split.train();
        if (cfg.limit() > 0 && cfg.limit() < train.rows()) {
            train = train.subset(stratifiedSample(train, cfg.limit(), cfg.train().seed()));
        }
        return new Loaded(split, train, split.test());
    }

    /** The scaler and PCA, fitted on the training set and applied to both sets. */
    private Prepared preprocess(Loaded data, Engine engine) {
        long tp = System.nanoTime();
        Dataset train = data.train();
        Dataset test = data.test();
        if (cfg.standardise()) {
            StandardScaler scaler = StandardScaler.fit(train.x(), train.rows(), train.features());
            train = train.withX(scaler.transform(train.x(), train.rows()), train.features());
            test = test.withX(scaler.transform(test.x(), test.rows()), test.features());
        }
        double explained = Double.NaN;
        if (cfg.usesPca()) {
            Pca pca = Pca.fit(train.x(), train.rows(), train.features(), cfg.pca(), engine);
            train = train.withX(pca.transform(train.x(), train.rows(), engine), cfg.pca());
            test = test.withX(pca.transform(test.x(), test.rows(), engine), cfg.pca());
            explained = pca.explainedVarianceRatio();
        }
        RunReport.Preprocessing preprocessing = new RunReport.Preprocessing(
                cfg.standardise() ? "fitted on the training set" : null,
                cfg.images() && cfg.input() == Input.PIXELS ? "scaled to [0, 1] (/255), not standardised" : null,
                cfg.usesPca() ? cfg.pca() : null, explained);
        return new Prepared(train, test, preprocessing, (System.nanoTime() - tp) / 1e9);
    }

    /** The CV folds: stratified k-fold, or with --folds 1 one 90/10 split. */
    private List<StratifiedKFold.Fold> folds(Dataset train) {
        return cfg.folds() == 1
                ? List.of(StratifiedKFold.holdout(train.y(), train.classes(), (train.rows() + 9) / 10, cfg.train().seed()))
                : new StratifiedKFold(cfg.folds(), true, cfg.train().seed()).split(train.y(), train.classes());
    }

    /** Units of training: the CV folds, then (sound protocol) the final model; a checkpoint says where to continue. */
    private int units(List<StratifiedKFold.Fold> folds) {
        return folds.size() + (cfg.protocol() == Protocol.SOUND ? 1 : 0);
    }

    /** With --resume, the checkpoint to continue from, its progress copied into {@code done}; null: start afresh. */
    private Checkpoint resume(Progress done, int units, Network net) {
        if (!checkpoints.resume()) {
            return null;
        }
        Checkpoint from = Checkpoint.read(cfg.out());
        if (from == null) {
            System.err.println("--resume: no checkpoint in " + cfg.out() + ", starting afresh");
            return null;
        }
        if (!from.settings().equals(settingsKey())) {
            throw new IllegalArgumentException("--resume: the checkpoint in " + cfg.out() + " is of a run with other settings ("
                    + from.settings() + "); use another --out, or delete " + Checkpoint.FILE + " to start afresh");
        }
        if (from.unit() >= units || from.foldAccuracies().length != done.foldAcc.length || from.params().length != net.params.length) {
            throw new IllegalStateException("--resume: the checkpoint in " + cfg.out() + " does not fit this run");
        }
        done.rows.addAll(from.rows());
        done.classes.restoreDeaths(from.deaths());
        System.arraycopy(from.foldAccuracies(), 0, done.foldAcc, 0, done.foldAcc.length);
        System.err.printf(java.util.Locale.ROOT, "resuming %s at %s, %d epoch(s) done%n", cfg.out(),
                from.unit() < done.foldAcc.length ? "fold " + (from.unit() + 1) : "the final model", from.epochsDone());
        return from;
    }

    /**
     * The fold loop: trains each unit from the checkpoint's (or the first), a fresh model where the protocol starts
     * one, and checkpoints between units; the tested model scores the test set.
     */
    private Trained trainUnits(Engine engine, Network net, Trainer trainer, Prepared data, List<StratifiedKFold.Fold> folds,
                               Progress done, Checkpoint from) {
        Dataset train = data.train();
        int units = units(folds);
        Trainer.Pass testPass = null;
        long tcv = System.nanoTime();
        double cvSeconds = 0;
        double finalSeconds = Double.NaN;
        for (int u = from == null ? 0 : from.unit(); u < units; u++) {
            boolean finalModel = u == folds.size();
            if (finalModel) {
                cvSeconds = (System.nanoTime() - tcv) / 1e9;
            }
            // a fresh model where the protocol starts one: every sound unit, the paper's first fold
            if (cfg.protocol() == Protocol.SOUND || u == 0) {
                net.initialise(finalModel ? cfg.train().seed() : cfg.protocol() == Protocol.SOUND ? foldSeed(cfg.train().seed(), u + 1)
                        : cfg.train().seed());
                trainer.resetOptimizer();
                done.classes.freshModel();
            }
            int startEpoch = 0;
            if (from != null && u == from.unit()) {
                trainer.restore(from.step(), from.shuffleHistory());
                // the checkpoint's model is the one to continue, except between sound folds (a fresh one then)
                if (from.epochsDone() > 0 || cfg.protocol() == Protocol.PAPER) {
                    System.arraycopy(from.params(), 0, net.params, 0, net.params.length);
                    System.arraycopy(from.m(), 0, net.m, 0, net.m.length);
                    System.arraycopy(from.v(), 0, net.v, 0, net.v.length);
                    done.classes.restoreDeadNow(from.deadNow());
                } else {
                    trainer.resetOptimizer();
                }
                startEpoch = from.epochsDone();
            }
            // paper protocol: the model after the last fold is the one the author tested
            boolean tested = finalModel || cfg.protocol() == Protocol.PAPER && u == folds.size() - 1;
            long tf = System.nanoTime();
            FoldOutcome o = trainFold(engine, net, trainer, done, train, finalModel ? all(train.rows()) : folds.get(u).train(),
                    finalModel ? null : folds.get(u).validation(), finalModel ? 0 : u + 1, u, startEpoch, tested ? data.test() : null);
            if (!finalModel) {
                done.foldAcc[u] = o.lastValAccuracy;
            } else {
                finalSeconds = (System.nanoTime() - tf) / 1e9;
            }
            if (tested) {
                testPass = o.test;
            }
            if (u + 1 < units) {
                checkpoint(u + 1, 0, trainer, done, net);
            }
        }
        if (cvSeconds == 0) {
            cvSeconds = (System.nanoTime() - tcv) / 1e9;
        }
        return new Trained(testPass, cvSeconds, finalSeconds);
    }

    /** The run's results and record from the trained units; writes every report. */
    private RunReport reports(ModelSpec spec, Network net, Engine engine, Loaded data, Prepared prepared, Progress done,
                              Trained trained, double totalSeconds) {
        Dataset test = prepared.test();
        Trainer.Pass testPass = trained.test();
        long deadRows = 0;
        for (EpochRow row : done.rows) {
            deadRows += row.deadOutputRows();
        }
        RunReport.Timings timings = new RunReport.Timings(prepared.seconds(), trained.cvSeconds(), trained.finalSeconds(),
                testPass.seconds(), totalSeconds, epochTimings(done.rows));
        ConfusionMatrix cm = new ConfusionMatrix(test.y(), testPass.predicted(), test.classes());
        ClassificationReport report = ClassificationReport.of(cm, test.classNames());
        double[] foldAcc = done.foldAcc;
        RunReport.Results results = new RunReport.Results(foldAcc, Stats.mean(foldAcc), Stats.std(foldAcc), cm.accuracy(),
                testPass.loss(), report.weightedAvg(), report.macroAvg(), deadRows, dyingRelu(done.rows, net, done.classes.deaths()),
                done.rows.stream().mapToDouble(e -> e.extra().get("samples_per_s")).average().orElse(Double.NaN));
        RunReport run = report(spec, net, engine, data.split(), prepared.train().rows(), test, prepared.preprocessing(), results,
                timings, done.rows);
        writeReports(run, done.rows, report, cm, test, testPass.predicted());
        return run;
    }

    /**
     * The model for the prepared features: the author's FFNN for the data set, or the CNN on the features
     * read as one square image (256 PCA components → 16×16, 784 pixels → 28×28).
     */
    private ModelSpec model(Dataset train) {
        if (cfg.model() == ModelKind.CNN) {
            int side = (int) Math.round(Math.sqrt(train.features()));
            if (side * side != train.features()) {
                throw new IllegalArgumentException("--model cnn reads each row as a square image; " + train.features()
                        + " features are not one");
            }
            return ModelSpec.cnn(1, side, side, train.classes(), cfg.head());
        }
        return ModelSpec.ffnn(cfg.dataset(), train.features(), train.classes(), cfg.head());
    }

    private record FoldOutcome(double lastValAccuracy, Trainer.Pass test) {
    }

    /**
     * Trains one fold from epoch startEpoch + 1 in one engine session (STATE moves to the device once, back once
     * at the end, and at each mid-fold checkpoint); when {@code test} is given, the trained model also scores it
     * in that session.
     */
    private FoldOutcome trainFold(Engine engine, Network net, Trainer trainer, Progress done, Dataset train, int[] trainRows,
                                  int[] valRows, int fold, int unit, int startEpoch, Dataset test) {
        List<EpochRow> rows = done.rows;
        Trainer.Pass testPass = null;
        try (Engine.Session session = engine.open(net.program())) {
            session.takeProfile();
            for (int epoch = startEpoch + 1; epoch <= cfg.train().epochs(); epoch++) {
                String label = (fold == 0 ? "final" : "fold " + fold) + " epoch " + epoch;
                long te = System.nanoTime();
                Trainer.Pass tr;
                Trainer.Pass val;
                // the bar stays open through validation, so that it ends with both, as Keras' line does
                try (EpochProgress bar = EpochProgress.start(progress, label, (trainRows.length + net.batch() - 1) / net.batch())) {
                    tr = trainer.trainEpoch(session, train, trainRows, bar);
                    val = valRows == null ? null : trainer.evaluate(session, train, valRows);
                    bar.finish(EpochProgress.keras(tr, val));
                } catch (NonFiniteException e) {
                    throw keepFinished(rows, e.at(fold, epoch));
                } catch (IllegalStateException e) {
                    throw keepFinished(rows, e); // a device fault mid-run (DeviceFault's one line)
                }
                long tk = System.nanoTime();
                Map<String, Double> extra = new LinkedHashMap<>();
                extra.put("epoch_seconds", tr.seconds());
                extra.put("val_seconds", val == null ? Double.NaN : val.seconds());
                extra.put("samples_per_s", tr.samplesPerSecond());
                activityColumns(extra, net, val == null ? null : val.activity());
                if (val != null) {
                    done.classes.note(val.activity(), train.classNames(), fold, epoch, valRows.length);
                }
                extra.putAll(session.takeProfile());
                // the breakdown so far (no checkpoint yet): folds.csv and a checkpoint written now carry it
                extra.putAll(epochTime(tr, val, tk - te, 0, 0, trainRows.length).columns());
                rows.add(new EpochRow(fold, epoch, tr.loss(), tr.accuracy(), val == null ? Double.NaN : val.loss(),
                        val == null ? Double.NaN : val.accuracy(), tr.deadRows(), extra));
                writeFolds(rows); // finished epochs survive a later fault or kill
                long tc = System.nanoTime();
                boolean checkpointed = checkpoints.every() > 0 && epoch % checkpoints.every() == 0 && epoch < cfg.train().epochs();
                if (checkpointed) {
                    // the training pass's parameter check left the host copy of STATE current: no second syncState
                    checkpoint(unit, epoch, trainer, done, net);
                }
                long end = System.nanoTime();
                // the whole epoch, checkpoint included; the next folds.csv write (or the final reports) carries it
                EpochTime time = epochTime(tr, val, end - te, tc - tk, checkpointed ? end - tc : 0, trainRows.length);
                rows.set(rows.size() - 1, rows.get(rows.size() - 1).withExtra(time.columns()));
                if (!progress) {
                    System.err.printf(java.util.Locale.ROOT, "%s: %.1f s - %s - %s%n", label, tr.seconds(), EpochProgress.keras(tr, val),
                            EpochProgress.breakdown(time));
                } else {
                    System.err.println("  " + EpochProgress.breakdown(time));
                }
                onEpoch.epochDone(fold, epoch, (System.nanoTime() - te) / 1e9);
            }
            if (test != null) {
                testPass = trainer.evaluate(session, test, all(test.rows()));
            }
            session.syncState();
        }
        double lastVal = Double.NaN;
        for (EpochRow row : rows) {
            if (row.fold() == fold) {
                lastVal = row.valAcc();
            }
        }
        return new FoldOutcome(lastVal, testPass);
    }

    /** The breakdown of every epoch that recorded one, for run.json. */
    static List<RunReport.EpochTiming> epochTimings(List<EpochRow> rows) {
        List<RunReport.EpochTiming> out = new ArrayList<>();
        for (EpochRow row : rows) {
            EpochTime t = EpochTime.of(row);
            if (t != null) {
                out.add(new RunReport.EpochTiming(row.fold(), row.epoch(), t));
            }
        }
        return out;
    }

    /**
     * An epoch of {@code wallNs}: the training pass's steps, batch assembly and bookkeeping, the validation pass (eval),
     * {@code afterNs} of bookkeeping after the passes (folds.csv) and {@code checkpointNs}; other is the rest.
     */
    static EpochTime epochTime(Trainer.Pass tr, Trainer.Pass val, long wallNs, long afterNs, long checkpointNs, int rows) {
        Trainer.PassTime t = tr.time();
        return EpochTime.of(wallNs, t.stepNs(), t.batchNs(), val == null ? 0 : val.time().wallNs(), t.bookkeepingNs() + afterNs,
                checkpointNs, rows);
    }

    /**
     * Writes the training state: unit has epochsDone epochs behind it. The host copy of STATE must be current; the
     * snapshot is taken here, the file written in the background ({@link CheckpointWriter}).
     */
    private void checkpoint(int unit, int epochsDone, Trainer trainer, Progress done, Network net) {
        writer.write(new Checkpoint(settingsKey(), unit, epochsDone, trainer.step(), trainer.shuffleHistory(), done.foldAcc.clone(),
                done.rows, net.params.clone(), net.m.clone(), net.v.clone(), done.classes.deadNow(), done.classes.deaths()), cfg.out());
    }

    /** What the results depend on: every setting but the output and data folders and the engine. */
    String settingsKey() {
        return "dataset=" + cfg.dataset() + " model=" + cfg.model() + " head=" + cfg.head() + " protocol=" + cfg.protocol()
                + " folds=" + cfg.folds() + " " + cfg.train() + " limit=" + cfg.limit() + " scale=" + cfg.scale()
                + " pca=" + cfg.pca() + " paper_split=" + cfg.paperSplit() + " input=" + cfg.input();
    }

    private static int[] all(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
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
        try {
            writer.await(); // the last finished epoch's checkpoint, for --resume
        } catch (RuntimeException e) {
            fault.addSuppressed(e);
        }
        writeFolds(rows);
        try {
            AtomicFiles.writeString(cfg.out().resolve(FAILED), fault.getMessage() + "\n");
        } catch (IOException e) {
            fault.addSuppressed(e);
        }
        return fault;
    }

    /**
     * The dying-ReLU columns of folds.csv: per hidden ReLU layer the fraction of dead units and of zero
     * activations on the validation rows, and for a ReLU head the number of dead classes; NaN without validation rows.
     */
    static void activityColumns(Map<String, Double> extra, Network net, UnitActivity a) {
        for (int i = 0; i < net.hiddenProbes.size(); i++) {
            String layer = net.hiddenProbes.get(i).layer();
            extra.put("dead_units_" + layer, a == null ? Double.NaN : a.layers().get(i).deadFraction());
            extra.put("sparsity_" + layer, a == null ? Double.NaN : a.layers().get(i).sparsity(a.rows()));
        }
        if (net.headProbe != null) {
            extra.put("dead_classes", a == null ? Double.NaN : (double) a.head().deadUnits().size());
        }
    }

    /**
     * The dying-ReLU figures of run.json: per hidden ReLU layer the dead-unit fraction and sparsity at the last
     * validated epoch (mean over folds) and the largest dead-unit fraction seen; every class death (fold, epoch).
     */
    static RunReport.DyingRelu dyingRelu(List<EpochRow> rows, Network net, List<RunReport.ClassDeath> deaths) {
        Map<Integer, EpochRow> lastOfFold = new LinkedHashMap<>();
        for (EpochRow row : rows) {
            if (!Double.isNaN(row.valAcc())) {
                lastOfFold.put(row.fold(), row);
            }
        }
        List<RunReport.LayerActivity> layers = new ArrayList<>();
        for (Network.Probe p : net.hiddenProbes) {
            String dead = "dead_units_" + p.layer(), sparse = "sparsity_" + p.layer();
            double[] lastDead = lastOfFold.values().stream().mapToDouble(r -> r.extra().get(dead)).toArray();
            double[] lastSparse = lastOfFold.values().stream().mapToDouble(r -> r.extra().get(sparse)).toArray();
            double maxDead = rows.stream().mapToDouble(r -> r.extra().get(dead)).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
            layers.add(new RunReport.LayerActivity(p.layer(), p.units(), Stats.mean(lastDead), maxDead, Stats.mean(lastSparse)));
        }
        if (net.headProbe == null) {
            return new RunReport.DyingRelu(layers, null, null);
        }
        return new RunReport.DyingRelu(layers, List.copyOf(deaths),
                lastOfFold.values().stream().mapToDouble(r -> r.extra().get("dead_classes")).toArray());
    }

    /** Seed of fold f's fresh model (sound protocol): distinct per fold, reproducible from --seed. */
    static long foldSeed(long seed, int fold) {
        return new SplittableRandom(seed * 1_000_003L + fold).nextLong();
    }

    /** Indices of a stratified random sample of `limit` rows (class proportions kept). */
    static int[] stratifiedSample(Dataset data, int limit, long seed) {
        return StratifiedKFold.holdout(data.y(), data.classes(), data.rows() - limit, seed).train();
    }

    /** The run's record: its settings, engine, data, preprocessing, results and timings. */
    private RunReport report(ModelSpec spec, Network net, Engine engine, DataSources.Split split, int trainRows, Dataset test,
                             RunReport.Preprocessing preprocessing, RunReport.Results results, RunReport.Timings timings,
                             List<EpochRow> rows) {
        TrainConfig t = cfg.train();
        RunReport.Settings settings = new RunReport.Settings(cfg.dataset(), cfg.model(), spec.describe(), net.parameterCount(),
                cfg.head(), cfg.protocol(), cfg.folds(), t.epochs(), t.batch(),
                new RunReport.Optimizer("adam", t.lr(), t.beta1(), t.beta2(), t.epsilon()), t.seed(), cfg.limit(),
                cfg.images() ? cfg.input().toString() : "features", spec.inputShape(), cfg.standardise(), cfg.paperSplit());
        EngineOptions e = cfg.engine();
        RunReport.EngineInfo engineInfo = new RunReport.EngineInfo(engine.name(), engine.device(), e.device(), e.threads(),
                e.profile(), e.cpuKernels(), e.deviceKernels(), engine.kernelChoices(), engine.deviceInfo());
        List<RunReport.SourceFile> files = split.files().stream()
                .map(f -> new RunReport.SourceFile(f.path().toString(), f.sha256())).toList();
        RunReport.Data data = new RunReport.Data(trainRows, test.rows(), spec.inputs(), test.classNames(), files, preprocessing);
        RunReport.Environment env = new RunReport.Environment(Runtime.version().toString(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                RunFolder.host());
        return new RunReport("relu-tornado", Instant.now().toString(), settings, engineInfo, data, results, timings,
                e.profile() ? profileTotals(rows) : null, env);
    }

    private void writeReports(RunReport run, List<EpochRow> rows, ClassificationReport report, ConfusionMatrix cm, Dataset test,
                              int[] predicted) {
        try {
            Path out = cfg.out();
            Files.createDirectories(out);
            CsvReports.writeFolds(out.resolve("folds.csv"), rows);
            CsvReports.writeMetrics(out.resolve("metrics.csv"), report);
            CsvReports.writeConfusion(out.resolve("confusion.csv"), cm, test.classNames());
            CsvReports.writePredictions(out.resolve("predictions.csv"), test.y(), predicted);
            Plots.writeCurves(out, rows, cfg.dataset() + " " + cfg.model() + "-" + cfg.head() + " (" + cfg.protocol() + ")",
                    cfg.protocol() == Protocol.PAPER);
            run.write(out);
            Reports.writeRunReport(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reports to " + cfg.out() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Device profiler figures summed over all epochs of all folds (per-epoch values are in folds.csv):
     * the columns in nanoseconds and bytes (wall times, throughput and the dying-ReLU figures are not sums).
     */
    static Map<String, Double> profileTotals(List<EpochRow> rows) {
        Map<String, Double> totals = new LinkedHashMap<>();
        for (EpochRow row : rows) {
            row.extra().forEach((k, v) -> {
                if ((k.endsWith("_ns") || k.endsWith("_bytes")) && !Double.isNaN(v)) {
                    totals.merge(k, v, Double::sum);
                }
            });
        }
        return totals;
    }
}
