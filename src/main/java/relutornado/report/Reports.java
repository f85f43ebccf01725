package relutornado.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.internal.chartpart.Chart;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.io.AtomicFiles;
import relutornado.metrics.ClassificationReport;
import relutornado.metrics.Stats;
import relutornado.model.Head;
import relutornado.model.ModelKind;

/**
 * report.html: one self-contained page (CSS inline, figures as PNG data URIs, no network) per run folder and per
 * study folder, rendered with Mustache templates from the run's record (run.json) and folds.csv. The figures are
 * also written as PNG files beside the page.
 */
public final class Reports {
    public static final String FILE = "report.html";
    private static final MustacheFactory MUSTACHE = new DefaultMustacheFactory("relutornado/report");

    private Reports() {
    }

    /**
     * Writes report.html for a run folder (run.json and folds.csv) or a study folder (cells/ID run folders),
     * told apart by their files.
     */
    public static Path writeReport(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("run.json"))) {
            return writeRunReport(dir);
        }
        Path cells = dir.resolve("cells");
        if (Files.isDirectory(cells)) {
            List<Path> cellDirs;
            try (var s = Files.list(cells)) {
                cellDirs = s.filter(p -> Files.isRegularFile(p.resolve("run.json"))).sorted().toList();
            }
            if (cellDirs.isEmpty()) {
                throw new IllegalArgumentException(dir + ": a study folder, but no cell under cells/ has finished (no run.json)");
            }
            return writeStudyReport(dir, cellDirs);
        }
        throw new IllegalArgumentException(dir + ": neither a run folder (run.json) nor a study folder (cells/)");
    }

    // ---------------------------------------------------------------- run

    /** A figure of the page: its PNG as a data URI, also written to {@code file} in the folder. */
    /** {@code paperMarks}: how many of the figure's groups carry the paper's mark (0 for figures without them). */
    public record Figure(String id, String title, String caption, String file, String dataUri, int width, int height, int paperMarks) {

        Figure withPaperMarks(int marks) {
            return new Figure(id, title, caption, file, dataUri, width, height, marks);
        }
    }

    public record Row3(String name, String ours, String paper) {
    }

    public record KeyValue(String key, String value) {
    }

    public record LayerRow(String layer, String units, String dead, String maxDead, String sparsity) {
    }

    public record ClassDeath(String className, String fold, String epoch) {
    }

    public record SourceFile(String path, String sha256) {
    }

    /** What run.mustache shows. */
    public record RunPage(String css, String title, String subtitle, List<Row3> results, String resultsNote, List<Figure> curves,
                          List<Figure> confusion, List<LayerRow> layers, boolean reluHead, List<ClassDeath> classDeaths,
                          List<Figure> dying, List<Figure> device, String deviceNote, List<KeyValue> settings, List<KeyValue> data,
                          List<SourceFile> files, String folder) {
    }

    /** Writes report.html (and its PNG figures) into a finished run folder, from its run.json record and folds.csv. */
    public static Path writeRunReport(Path runDir) throws IOException {
        RunReport run = readRun(runDir);
        List<EpochRow> rows = CsvReports.readFolds(runDir.resolve("folds.csv"));
        RunReport.Settings settings = run.settings();
        RunReport.Results results = run.results();
        String dataset = settings.dataset().toString(), model = settings.model().toString(), head = settings.head().toString();
        boolean paperProtocol = settings.protocol() == Protocol.PAPER;
        String name = dataset + " " + model + "-" + head + " (" + settings.protocol() + ")";
        String title = settings.dataset().title() + " " + settings.model().name() + "-" + settings.head().title() + ", "
                + settings.protocol() + " protocol";
        String subtitle = String.format(Locale.ROOT, "%d folds × %d epochs, seed %d · engine %s on %s · %s", settings.folds(),
                settings.epochs(), settings.seed(), run.engine().name(), run.engine().device(), run.created());

        PaperTable.Paper paper = paperRow(settings.dataset(), settings.model(), settings.head());
        ClassificationReport.Averages w = results.weightedAvg();
        List<Row3> table = new ArrayList<>();
        table.add(new Row3("CV accuracy % (mean ± sd over folds)", pm(results.cvAccuracyMean(), results.cvAccuracyStd()),
                paper == null ? "–" : pm(paper.cvMean(), paper.cvStd())));
        table.add(new Row3("test accuracy %", pct(results.testAccuracy()), paper == null ? "–" : pct(paper.testAccuracy())));
        table.add(new Row3("precision / recall / F1 (weighted)", String.format(Locale.ROOT, "%.2f / %.2f / %.2f", w.precision(),
                w.recall(), w.f1()), paper == null ? "–" : String.format(Locale.ROOT, "%.2f / %.2f / %.2f", paper.precision(),
                paper.recall(), paper.f1())));
        table.add(new Row3("dead output rows (training, all epochs)", Long.toString(results.deadOutputRows()), "–"));
        RunReport.DyingRelu dying = results.dyingRelu();
        List<RunReport.ClassDeath> deaths = dying == null || dying.classDeaths() == null ? List.of() : dying.classDeaths();
        if (dying != null && dying.classDeaths() != null) {
            table.add(new Row3("class deaths of the ReLU head", Integer.toString(deaths.size()), "–"));
        }
        if (results.trainSamplesPerSecond() > 0) { // 0 or NaN: a run.json from before the figure existed
            table.add(new Row3("training throughput (samples/s, mean over epochs)", String.format(Locale.ROOT, "%.0f",
                    results.trainSamplesPerSecond()), "–"));
        }
        String resultsNote = paper == null ? "The paper has no row for this data set and model."
                : (paper.note().isEmpty() ? "" : "Paper: " + paper.note() + ". ")
                + "The paper's figures are Agarap 2018, tables 2–7; ours are this run's.";

        List<LayerRow> layers = new ArrayList<>();
        if (dying != null) {
            for (RunReport.LayerActivity l : dying.layers()) {
                layers.add(new LayerRow(l.layer(), Integer.toString(l.units()), pct(l.deadFractionLastEpoch()), pct(l.maxDeadFraction()),
                        pct(l.sparsityLastEpoch())));
            }
        }
        List<ClassDeath> deathRows = deaths.stream().map(d -> new ClassDeath(d.className(), Integer.toString(d.fold()),
                Integer.toString(d.epoch()))).toList();

        String curveNote = paperProtocol
                ? "One model carried across the folds (paper protocol): one continuous axis, fold boundaries dashed; training dashed"
                + " per fold colour, validation solid."
                : "A fresh model per fold (sound protocol): each fold over its own epochs; training dashed, validation solid; "
                + "'final' is the model trained on the whole training set.";
        List<Figure> curves = List.of(
                figure(runDir, "accuracy", "Accuracy", curveNote, Plots.accuracy(rows, name, paperProtocol)),
                figure(runDir, "loss", "Loss", "Keras' categorical cross-entropy; training loss is the running mean over the "
                        + "epoch's batches with dropout on, as Keras reports it.", Plots.loss(rows, name, paperProtocol)));
        List<Figure> confusion = new ArrayList<>();
        if (Files.isRegularFile(runDir.resolve("confusion.csv"))) {
            confusion.add(figure(runDir, "confusion", "Confusion matrix", "Test set; rows the true class, columns the predicted one, "
                    + "counts in the cells.", Plots.confusion(CsvReports.readConfusion(runDir.resolve("confusion.csv")), "test confusion")));
        }
        List<Figure> dyingFigures = new ArrayList<>();
        var dead = Plots.layerCurves(rows, name + ": dead units", "dead_units_", "dead units %", !paperProtocol);
        if (dead != null) {
            dyingFigures.add(figure(runDir, "dead_units", "Dead units per layer", "Units (a dense feature or a convolution channel) "
                    + "whose ReLU output was 0 for every validation row, per epoch; fold boundaries dashed.", dead));
        }
        var sparse = Plots.layerCurves(rows, name + ": zero activations", "sparsity_", "zero activations %", !paperProtocol);
        if (sparse != null) {
            dyingFigures.add(figure(runDir, "sparsity", "Sparsity per layer", "Fraction of ReLU outputs that are exactly 0 on the "
                    + "validation rows, per epoch.", sparse));
        }
        List<Figure> device = new ArrayList<>();
        var bars = Plots.deviceBars(rows, name + ": device time per epoch");
        if (bars != null) {
            device.add(figure(runDir, "device", "Device time per epoch", "From the TornadoVM profiler: kernel time, host↔device copies "
                    + "and compilation (JIT and driver install), training and validation together.", bars));
        }
        String deviceNote = "No profiler figures in this run (they come with --engine tornado --profile); engine " + run.engine().name()
                + " on " + run.engine().device() + ".";

        // the record's own JSON names for the settings tables, so that a new field shows without a change here
        JsonObject json = JsonParser.parseString(run.toJson()).getAsJsonObject();
        List<KeyValue> settingsRows = new ArrayList<>();
        for (String part : List.of("settings", "engine", "timings", "environment")) {
            if (json.has(part) && json.get(part).isJsonObject()) {
                flatten(part.equals("settings") ? "" : part + ".", json.getAsJsonObject(part), settingsRows);
            }
        }
        RunReport.Data data = run.data();
        List<KeyValue> dataRows = new ArrayList<>();
        dataRows.add(new KeyValue("training rows", Integer.toString(data.trainRows())));
        dataRows.add(new KeyValue("test rows", Integer.toString(data.testRows())));
        dataRows.add(new KeyValue("features", Integer.toString(data.features())));
        dataRows.add(new KeyValue("classes", String.join(", ", data.classes())));
        flatten("preprocessing.", json.getAsJsonObject("data").getAsJsonObject("preprocessing"), dataRows);
        List<SourceFile> files = data.files().stream().map(f -> new SourceFile(f.path(), f.sha256())).toList();
        RunPage page = new RunPage(css(), title, subtitle, table, resultsNote, curves, confusion, layers,
                settings.head() == Head.RELU, deathRows, dyingFigures, device, deviceNote, settingsRows, dataRows, files,
                runDir.toAbsolutePath().normalize().toString());
        return render("run.mustache", page, runDir.resolve(FILE));
    }

    private static RunReport readRun(Path dir) throws IOException {
        try {
            return RunReport.read(dir);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(dir.resolve("run.json") + ": not a run record (" + e.getMessage() + ")", e);
        }
    }

    private static PaperTable.Paper paperRow(DatasetName dataset, ModelKind model, Head head) {
        return PaperTable.PAPER.stream().filter(p -> p.dataset() == dataset && p.model() == model && p.head() == head)
                .findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- study

    public record GroupRow(String name, int n, String test, String paperTest, String cv, String paperCv, String deadClassRuns,
                           String classDeaths, String epochSeconds) {
    }

    public record CellRow(String id, String link, String group, String seed, String test, String cv, String deaths, String engine) {
    }

    public record StudyPage(String css, String title, String subtitle, List<GroupRow> groups, List<Figure> accuracy, List<Figure> curves,
                            List<Figure> dying, List<Figure> device, String deviceNote, List<CellRow> cells) {
    }

    /** One finished cell: its result row, record and epochs. */
    private record Cell(Path dir, PaperTable.Row row, RunReport run, List<EpochRow> epochs) {
        /** The settings the table names anyway: data set, model, head, protocol, input, epochs, folds, engine. */
        String describe() {
            return row.dataset() + " " + row.model() + "-" + row.head() + " " + row.protocol() + " " + row.preprocessing() + " "
                    + row.epochs() + "ep×" + row.folds() + "f " + row.engine();
        }

        /** Every setting of the record but the seed (and what follows from the others), with the engine and device. */
        Map<String, String> settings() {
            List<KeyValue> kv = new ArrayList<>();
            flatten("", JsonParser.parseString(run.toJson()).getAsJsonObject().getAsJsonObject("settings"), kv);
            Map<String, String> m = new java.util.TreeMap<>();
            for (KeyValue k : kv) {
                if (!List.of("seed", "architecture", "parameters", "input_shape").contains(k.key())) {
                    m.put(k.key(), k.value());
                }
            }
            m.put("engine", row.engine());
            m.put("preprocessing", row.preprocessing());
            return m;
        }

        int deaths() {
            RunReport.DyingRelu d = run.results().dyingRelu();
            return d == null || d.classDeaths() == null ? 0 : d.classDeaths().size();
        }
    }

    /**
     * Writes report.html (and its PNG figures) into a study folder from its finished cell run folders: cells that
     * differ only by the seed form a group, shown as median [min – max]. Each cell also gets its own report.html.
     */
    public static Path writeStudyReport(Path studyDir, List<Path> cellDirs) throws IOException {
        if (cellDirs.isEmpty()) {
            throw new IllegalArgumentException(studyDir + ": no finished cells to report");
        }
        Files.createDirectories(studyDir);
        List<Cell> cells = new ArrayList<>();
        for (Path d : cellDirs) {
            if (!Files.isRegularFile(d.resolve("run.json")) || !Files.isRegularFile(d.resolve("folds.csv"))) {
                throw new IllegalArgumentException(d + ": not a finished run folder (needs run.json and folds.csv)");
            }
            RunReport run = readRun(d);
            cells.add(new Cell(d, PaperTable.Row.of(run), run,
                    CsvReports.readFolds(d.resolve("folds.csv"))));
            if (!Files.isRegularFile(d.resolve(FILE))) {
                writeRunReport(d);
            }
        }
        // a group: cells equal in every setting but the seed; named by the usual settings and any other that varies
        java.util.Set<String> varying = new java.util.TreeSet<>();
        Map<String, String> firstSettings = cells.get(0).settings();
        for (Cell c : cells) {
            c.settings().forEach((k, v) -> {
                if (!v.equals(firstSettings.get(k))) {
                    varying.add(k);
                }
            });
        }
        varying.removeAll(List.of("dataset", "model", "head", "protocol", "epochs", "folds", "engine", "preprocessing", "input", "scale"));
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        Map<Cell, String> groupOf = new java.util.IdentityHashMap<>();
        Map<String, String> nameOfKey = new LinkedHashMap<>();
        for (Cell c : cells) {
            Map<String, String> settings = c.settings();
            String key = settings.toString();
            String name = nameOfKey.computeIfAbsent(key, k -> {
                StringBuilder n = new StringBuilder(c.describe());
                varying.forEach(v -> n.append(' ').append(v).append('=').append(settings.get(v)));
                return n.toString();
            });
            groups.computeIfAbsent(name, g -> new ArrayList<>()).add(c);
            groupOf.put(c, name);
        }
        List<GroupRow> rows = new ArrayList<>();
        List<Plots.SeedGroup> testGroups = new ArrayList<>();
        List<Plots.SeedGroup> cvGroups = new ArrayList<>();
        Map<String, double[]> valCurves = new LinkedHashMap<>();
        Map<String, double[]> deadCurves = new LinkedHashMap<>();
        List<String> groupNames = new ArrayList<>(groups.keySet());
        Map<String, double[]> deviceParts = new LinkedHashMap<>();
        boolean profiled = false;
        for (String part : List.of("kernel", "copy in + out", "compile", "host (rest of the epoch)")) {
            deviceParts.put(part, new double[groupNames.size()]);
        }
        for (int g = 0; g < groupNames.size(); g++) {
            List<Cell> gc = groups.get(groupNames.get(g));
            PaperTable.Row first = gc.get(0).row();
            PaperTable.Paper paper = paperRow(first.dataset(), first.model(), first.head());
            double[] test = gc.stream().mapToDouble(c -> c.row().testAccuracy()).toArray();
            double[] cv = gc.stream().mapToDouble(c -> c.row().cvMean()).toArray();
            long withDeath = gc.stream().filter(c -> c.deaths() > 0).count();
            int deaths = gc.stream().mapToInt(Cell::deaths).sum();
            double[] epochSeconds = gc.stream().mapToDouble(c -> c.epochs().stream().mapToDouble(e -> e.extra().getOrDefault("epoch_seconds",
                    Double.NaN)).average().orElse(Double.NaN)).toArray();
            boolean relu = first.head() == Head.RELU;
            rows.add(new GroupRow(groupNames.get(g), gc.size(), spread(test), paper == null ? "–" : pct(paper.testAccuracy()), spread(cv),
                    paper == null ? "–" : pm(paper.cvMean(), paper.cvStd()), relu ? withDeath + " / " + gc.size() : "–",
                    relu ? Integer.toString(deaths) : "–", String.format(Locale.ROOT, "%.2f", Stats.median(epochSeconds))));
            String label = "G" + (g + 1);
            String axisName = first.dataset() + " · " + first.model() + " · " + first.head();
            for (String v : varying) {
                axisName += " · " + v + "=" + gc.get(0).settings().get(v);
            }
            testGroups.add(new Plots.SeedGroup(axisName, first.head().toString(), percents(test),
                    paper == null ? null : 100 * paper.testAccuracy(), null));
            cvGroups.add(new Plots.SeedGroup(axisName, first.head().toString(), percents(cv), paper == null ? null : 100 * paper.cvMean(),
                    paper == null || Double.isNaN(paper.cvStd()) ? null : 100 * paper.cvStd()));
            valCurves.put(label, medianCurve(gc, e -> 100 * e.valAcc()));
            deadCurves.put(label, medianCurve(gc, e -> 100 * meanOver(e, "dead_units_")));
            for (Cell c : gc) {
                profiled |= !c.epochs().isEmpty() && c.epochs().get(0).extra().containsKey("kernel_ns");
            }
            double kernel = medianEpoch(gc, "kernel_ns") / 1e9, copy = (medianEpoch(gc, "copy_in_ns") + medianEpoch(gc, "copy_out_ns")) / 1e9;
            double compile = medianEpoch(gc, "compile_ns") / 1e9;
            double wall = Stats.median(epochSeconds) + Stats.median(gc.stream().mapToDouble(c -> c.epochs().stream().mapToDouble(e ->
                    nanToZero(e.extra().getOrDefault("val_seconds", 0.0))).average().orElse(0)).toArray());
            deviceParts.get("kernel")[g] = nanToZero(kernel);
            deviceParts.get("copy in + out")[g] = nanToZero(copy);
            deviceParts.get("compile")[g] = nanToZero(compile);
            deviceParts.get("host (rest of the epoch)")[g] = Math.max(0, wall - nanToZero(kernel) - nanToZero(copy) - nanToZero(compile));
        }
        String legend = legend(groupNames);
        distinctNames(testGroups);
        distinctNames(cvGroups);
        CategoryChart testChart = Plots.overSeeds("test accuracy over seeds", "test accuracy %", testGroups);
        CategoryChart cvChart = Plots.overSeeds("CV accuracy over seeds", "CV accuracy % (mean over folds)", cvGroups);
        List<Figure> accuracy = List.of(
                figure(studyDir, "study_test_accuracy", "Test accuracy over seeds", "One dot per seed (blue: softmax head, orange: "
                        + "ReLU head), the median over seeds a black diamond, the paper's test accuracy a red cross.", testChart)
                        .withPaperMarks(Plots.paperMarks(testChart)),
                figure(studyDir, "study_cv_accuracy", "CV accuracy over seeds", "One dot per seed: the mean validation accuracy over "
                        + "the folds; the median over seeds a black diamond; the paper's CV accuracy a red cross with its ± sd.", cvChart)
                        .withPaperMarks(Plots.paperMarks(cvChart)));
        List<Figure> curves = List.of(figure(studyDir, "study_val_accuracy", "Validation accuracy", "Median over seeds, per epoch in "
                + "training order across folds (" + legend + ").", Plots.lines("validation accuracy (median over seeds)",
                "epoch (all folds, in training order)", "validation accuracy %", valCurves, sameFolds(cells))));
        List<Figure> dying = List.of(figure(studyDir, "study_dead_units", "Dead units", "Dead ReLU units in % (mean over hidden layers), "
                + "median over seeds, per epoch in training order (" + legend + ").", Plots.lines("dead units (median over seeds)",
                "epoch (all folds, in training order)", "dead units %", deadCurves, sameFolds(cells))));
        List<Figure> device = List.of(figure(studyDir, "study_device", "Time per epoch", "Median seconds per epoch (training and "
                + "validation) per group" + (profiled ? ", split into kernel, copies and compilation from the TornadoVM profiler" : "")
                + " (" + legend + ").", Plots.groupBars("time per epoch", "seconds", groupNames.stream().map(n -> "G" + (groupNames.indexOf(n) + 1))
                .toList(), deviceParts)));
        String deviceNote = profiled ? "Cells without profiler figures show their whole epoch as host time."
                : "No cell has profiler figures (they come with --engine tornado --profile): the bars are wall time.";
        List<CellRow> cellRows = new ArrayList<>();
        // runs named by their folder, or by their path from DIR where folder names repeat (compare-devices.sh --rounds: DEVICE/round-R)
        boolean repeated = cells.stream().map(c -> c.dir().getFileName().toString()).distinct().count() < cells.size();
        for (Cell c : cells) {
            Path relative = studyDir.toAbsolutePath().normalize().relativize(c.dir().toAbsolutePath().normalize());
            String link = relative.resolve(FILE).toString().replace('\\', '/');
            String name = repeated ? relative.toString().replace('\\', '/') : c.dir().getFileName().toString();
            cellRows.add(new CellRow(name, link, "G" + (groupNames.indexOf(groupOf.get(c)) + 1),
                    Long.toString(c.run().settings().seed()), pct(c.row().testAccuracy()),
                    pm(c.row().cvMean(), c.row().cvStd()), Integer.toString(c.deaths()), c.row().engine()));
        }
        StudyPage page = new StudyPage(css(), String.valueOf(studyDir.toAbsolutePath().normalize().getFileName()), cells.size()
                + " runs in " + groups.size() + " groups · " + legend, rows, accuracy, curves, dying, device, deviceNote, cellRows);
        return render("study.mustache", page, studyDir.resolve(FILE));
    }

    // ---------------------------------------------------------------- helpers

    private static List<Double> percents(double[] fractions) {
        return java.util.Arrays.stream(fractions).map(v -> 100 * v).boxed().toList();
    }

    /** Groups that share an axis name (they differ in a setting the name leaves out, e.g. the engine) get their G number. */
    private static void distinctNames(List<Plots.SeedGroup> groups) {
        Map<String, Long> count = groups.stream().collect(java.util.stream.Collectors.groupingBy(Plots.SeedGroup::name,
                java.util.stream.Collectors.counting()));
        for (int g = 0; g < groups.size(); g++) {
            Plots.SeedGroup x = groups.get(g);
            if (count.get(x.name()) > 1) {
                groups.set(g, new Plots.SeedGroup(x.name() + " (G" + (g + 1) + ")", x.head(), x.values(), x.paper(), x.paperSd()));
            }
        }
    }

    /** The cells' common sequence of (fold, epoch) rows, to mark fold boundaries; empty when the cells differ in it. */
    private static List<EpochRow> sameFolds(List<Cell> cells) {
        List<EpochRow> first = cells.get(0).epochs();
        for (Cell c : cells) {
            List<EpochRow> e = c.epochs();
            if (e.size() != first.size()) {
                return List.of();
            }
            for (int i = 0; i < e.size(); i++) {
                if (e.get(i).fold() != first.get(i).fold()) {
                    return List.of();
                }
            }
        }
        return first;
    }

    private static String legend(List<String> groupNames) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < groupNames.size(); i++) {
            s.append(i == 0 ? "" : "; ").append("G").append(i + 1).append(" = ").append(groupNames.get(i));
        }
        return s.toString();
    }

    /** Per epoch index, the median over the group's cells (cells may differ in length: shorter ones stop counting). */
    private static double[] medianCurve(List<Cell> cells, java.util.function.ToDoubleFunction<EpochRow> f) {
        int n = cells.stream().mapToInt(c -> c.epochs().size()).max().orElse(0);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int at = i;
            out[i] = Stats.median(cells.stream().filter(c -> c.epochs().size() > at).mapToDouble(c -> f.applyAsDouble(c.epochs().get(at)))
                    .filter(v -> !Double.isNaN(v)).toArray());
        }
        return out;
    }

    private static double meanOver(EpochRow e, String prefix) {
        return e.extra().entrySet().stream().filter(x -> x.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue)
                .average().orElse(Double.NaN);
    }

    private static double medianEpoch(List<Cell> cells, String column) {
        return Stats.median(cells.stream().mapToDouble(c -> c.epochs().stream().mapToDouble(e -> e.extra().getOrDefault(column, Double.NaN))
                .average().orElse(Double.NaN)).filter(v -> !Double.isNaN(v)).toArray());
    }

    /**
     * Fractions as "97.10 [96.80 – 97.40]" in percent: median [min – max] of the values that are not NaN; one value
     * alone without the range; "–" without values. The study's table.md and report.html both show this form.
     */
    public static String spread(double[] fractions) {
        double[] s = java.util.Arrays.stream(fractions).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (s.length == 0) {
            return "–";
        }
        return s.length == 1 ? pct(s[0]) : String.format(Locale.ROOT, "%.2f [%.2f – %.2f]", 100 * Stats.median(s), 100 * s[0], 100 * s[s.length - 1]);
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static Figure figure(Path dir, String id, String title, String caption, Chart<?, ?> chart) throws IOException {
        byte[] png = Plots.png(chart);
        AtomicFiles.write(dir.resolve(id + ".png"), out -> out.write(png));
        return new Figure(id, title, caption, id + ".png", "data:image/png;base64," + Base64.getEncoder().encodeToString(png),
                chart.getWidth(), chart.getHeight(), 0);
    }

    private static Path render(String template, Object page, Path file) throws IOException {
        Mustache m = MUSTACHE.compile(template);
        StringWriter w = new StringWriter();
        m.execute(w, page).flush();
        AtomicFiles.writeString(file, w.toString());
        return file;
    }

    private static String css() {
        try (InputStream in = Reports.class.getResourceAsStream("/relutornado/report/report.css")) {
            if (in == null) {
                throw new IllegalStateException("report.css is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nested objects as dotted keys; arrays (of scalars or objects) and scalars as text. */
    private static void flatten(String prefix, JsonObject o, List<KeyValue> out) {
        for (var e : o.entrySet()) {
            if (e.getValue().isJsonObject()) {
                flatten(prefix + e.getKey() + ".", e.getValue().getAsJsonObject(), out);
            } else {
                out.add(new KeyValue(prefix + e.getKey(), text(e.getValue())));
            }
        }
    }

    private static String text(JsonElement e) {
        if (e.isJsonNull()) {
            return "–";
        }
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            List<String> parts = new ArrayList<>();
            a.forEach(x -> parts.add(text(x)));
            return String.join(", ", parts);
        }
        if (e.isJsonObject()) {
            // an object inside an array (run.json's kernel choices): its fields in one cell
            List<String> parts = new ArrayList<>();
            e.getAsJsonObject().entrySet().forEach(x -> parts.add(x.getKey() + " " + text(x.getValue())));
            return "(" + String.join("; ", parts) + ")";
        }
        return e.getAsString();
    }

    private static String pct(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    private static String pm(double mean, double sd) {
        if (Double.isNaN(mean)) {
            return "–";
        }
        return Double.isNaN(sd) ? pct(mean) : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * sd);
    }
}
