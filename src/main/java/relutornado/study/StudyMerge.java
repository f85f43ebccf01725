package relutornado.study;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import relutornado.io.AtomicFiles;
import relutornado.metrics.Stats;
import relutornado.report.MarkdownTable;
import relutornado.report.PaperTable;
import relutornado.report.Reports;
import relutornado.report.RunReport;

/**
 * {@code study merge}: from the cells of a study folder,
 * <ul>
 *   <li>DIR/study.csv: one row per cell, its settings (dataset, model, head and seed always), state and results;</li>
 *   <li>DIR/table.csv: per row of the grid without its seed axis (a group), the median and min–max over seeds of test and CV
 *       accuracy beside the paper's, and how often a class died or went unpredicted;</li>
 *   <li>DIR/paired.csv: per (dataset, model, other settings), the ReLU head minus the softmax head paired by seed
 *       ({@link PairedDifference});</li>
 *   <li>DIR/table.md: both tables in Markdown, and report.html.</li>
 * </ul>
 * Accuracies are fractions in the CSV files and percent in table.md.
 */
public final class StudyMerge {
    private StudyMerge() {
    }

    /**
     * A done cell's figures, from its run.json and metrics.csv. classDeaths: the ReLU head's class deaths run.json records (a
     * class whose output was 0 for every validation row), -1 for a softmax head; unpredicted: classes of the test set never
     * predicted right (recall 0); dataset, model, head, seed: as the run ran ("" where run.json lacks them).
     */
    public record Result(double cvMean, double cvStd, double testAccuracy, double f1, long deadOutputRows, int classDeaths,
                         int unpredicted, double seconds, String engine, String host, Map<String, String> ran) {
    }

    /** One cell of the merged study: settings, state, and results when done. */
    public record Row(String id, Map<String, String> settings, StudyDir.Status status, Result result) {

        /** A setting as the study file gives it, else as the run ran it (run.json), else "". */
        String value(String key) {
            String v = settings.get(key);
            if (v == null && result != null) {
                v = result.ran().get(key);
            }
            return v == null ? "" : v;
        }
    }

    /** The keys every study.csv row has, first, whether or not the study file sets them. */
    static final List<String> ALWAYS = List.of("dataset", "model", "head", "seed");

    /** The columns table.csv starts with, in this order. */
    static final List<String> TABLE_COLUMNS = List.of("dataset", "model", "head", "seeds", "test_median", "test_min", "test_max",
            "cv_median", "paper_test", "paper_cv");

    /** Writes study.csv, table.csv, paired.csv, table.md and the study's report.html; returns table.md. */
    public static String merge(StudyDir dir) {
        return merge(dir, true);
    }

    /** As {@link #merge(StudyDir)}; without report.html when {@code report} is false (the tables alone). */
    static String merge(StudyDir dir, boolean report) {
        StudyDir.Grid grid = dir.readGrid();
        List<Row> rows = new ArrayList<>();
        for (StudyDir.Entry e : grid.cells()) {
            StudyDir.Status s = dir.status(e.id());
            rows.add(new Row(e.id(), e.settings(), s, s.state() == StudyDir.State.DONE ? result(dir, e.id()) : null));
        }
        List<Group> groups = groups(rows);
        List<String> shown = shownAxes(grid.axes());
        List<Pairing> pairings = pairings(groups);
        AtomicFiles.writeStringUnchecked(dir.dir().resolve("study.csv"), csv(rows));
        AtomicFiles.writeStringUnchecked(dir.dir().resolve("table.csv"), tableCsv(groups, shown));
        AtomicFiles.writeStringUnchecked(dir.dir().resolve("paired.csv"), pairedCsv(pairings, shown));
        String table = table(grid.name(), groups, shown, pairings);
        AtomicFiles.writeStringUnchecked(dir.dir().resolve("table.md"), table);
        if (report) {
            writeReport(dir, grid, rows);
        }
        return table;
    }

    /** The study's report.html over its done cells (the one place a merge writes it). */
    static void writeReport(StudyDir dir, StudyDir.Grid grid, List<Row> rows) {
        List<Path> done = rows.stream().filter(r -> r.result() != null).map(r -> dir.cell(r.id())).toList();
        if (done.isEmpty()) {
            return;
        }
        try {
            Reports.writeStudyReport(dir.dir(), done);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.dir().resolve(Reports.FILE) + ": " + e.getMessage(), e);
        }
    }

    static Result result(StudyDir dir, String id) {
        RunReport run;
        try {
            run = RunReport.read(dir.cell(id));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + dir.cell(id).resolve("run.json") + ": " + e.getMessage(), e);
        }
        RunReport.Results r = run.results();
        int deaths = r.dyingRelu() == null || r.dyingRelu().classDeaths() == null ? -1 : r.dyingRelu().classDeaths().size();
        int unpredicted = zeroRecallClasses(dir.cell(id).resolve("metrics.csv"));
        Map<String, String> ran = new LinkedHashMap<>();
        RunReport.Settings st = run.settings();
        if (st != null) {
            ran.put("dataset", String.valueOf(st.dataset()));
            ran.put("model", String.valueOf(st.model()));
            ran.put("head", String.valueOf(st.head()));
            ran.put("seed", Long.toString(st.seed()));
        }
        String host = run.environment() == null || run.environment().host() == null ? "" : run.environment().host();
        return new Result(r.cvAccuracyMean(), r.cvAccuracyStd(), r.testAccuracy(), r.weightedAvg() == null ? Double.NaN : r.weightedAvg().f1(),
                r.deadOutputRows(), deaths, unpredicted, run.timings() == null ? Double.NaN : run.timings().totalSeconds(),
                run.engine() == null ? "" : run.engine().name() + (run.engine().deviceIndex() == null ? "" : " " + run.engine().deviceIndex()),
                host, ran);
    }

    /** Classes of metrics.csv (the rows before "accuracy") whose recall is 0. */
    static int zeroRecallClasses(Path metrics) {
        int n = 0;
        try (Reader in = Files.newBufferedReader(metrics)) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
                if (rec.get("class").equals("accuracy")) {
                    break;
                }
                if (Double.parseDouble(rec.get("recall")) == 0) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metrics + ": " + e.getMessage(), e);
        }
        return n;
    }

    /** study.csv's result columns; a setting of the same name (engine) is left out: the column says what ran (--devices may override it). */
    static final List<String> RESULT_COLUMNS = List.of("cv_accuracy_mean", "cv_accuracy_std", "test_accuracy", "weighted_f1",
            "dead_output_rows", "class_deaths", "unpredicted_classes", "engine", "host", "seconds");

    static String csv(List<Row> rows) {
        Set<String> keys = new LinkedHashSet<>(ALWAYS);
        rows.forEach(r -> keys.addAll(r.settings().keySet()));
        keys.removeAll(RESULT_COLUMNS);
        List<String> header = new ArrayList<>(List.of("id", "state", "note"));
        header.addAll(keys);
        header.addAll(RESULT_COLUMNS);
        List<List<Object>> records = new ArrayList<>();
        for (Row r : rows) {
            List<Object> cells = new ArrayList<>(List.of(r.id(), r.status().state().name().toLowerCase(Locale.ROOT), r.status().note()));
            for (String k : keys) {
                cells.add(r.value(k));
            }
            Result x = r.result();
            if (x == null) {
                cells.addAll(List.of("", "", "", "", "", "", "", "", "", ""));
            } else {
                cells.addAll(List.of(x.cvMean(), x.cvStd(), x.testAccuracy(), x.f1(), x.deadOutputRows(), x.classDeaths() < 0 ? "" : x.classDeaths(),
                        x.unpredicted(), x.engine(), x.host(), String.format(Locale.ROOT, "%.1f", x.seconds())));
            }
            records.add(cells);
        }
        return csvText(header, records);
    }

    private static String csvText(List<String> header, List<List<Object>> records) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator("\n").build())) {
            for (List<Object> r : records) {
                p.printRecord(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * A row of the paper's table: the cells equal in every setting but the seed (and the settings that never change a
     * result), in the grid's order; dataset, model and head as the file or the runs give them.
     */
    record Group(Map<String, String> key, String dataset, String model, String head, List<Row> rows) {

        List<Result> done() {
            return rows.stream().map(Row::result).filter(Objects::nonNull).toList();
        }

        double[] test() {
            return done().stream().mapToDouble(Result::testAccuracy).toArray();
        }

        double[] cv() {
            return done().stream().mapToDouble(Result::cvMean).toArray();
        }

        PaperTable.Paper paper() {
            return PaperTable.PAPER.stream().filter(x -> x.dataset().toString().equals(dataset) && x.model().toString().equals(model)
                    && x.head().toString().equals(head)).findFirst().orElse(null);
        }
    }

    static List<Group> groups(List<Row> rows) {
        Map<Map<String, String>, List<Row>> byKey = new LinkedHashMap<>();
        for (Row r : rows) {
            byKey.computeIfAbsent(groupKey(r, "seed"), k -> new ArrayList<>()).add(r);
        }
        List<Group> groups = new ArrayList<>();
        byKey.forEach((k, g) -> {
            Row first = g.stream().filter(r -> r.result() != null).findFirst().orElse(g.get(0));
            groups.add(new Group(k, first.value("dataset"), first.value("model"), first.value("head"), g));
        });
        return groups;
    }

    /** A cell's settings without {@code dropped} and the settings that never change a result. */
    private static Map<String, String> groupKey(Row r, String... dropped) {
        Map<String, String> key = new LinkedHashMap<>(r.settings());
        key.keySet().removeAll(List.of(dropped));
        key.keySet().removeAll(Study.NOT_IN_ID);
        return key;
    }

    /** The axes other than dataset, model, head and seed: they name a row beside those three. */
    private static List<String> shownAxes(List<String> axes) {
        return axes.stream().filter(a -> !ALWAYS.contains(a)).toList();
    }

    /** One paired comparison: the softmax and ReLU groups of one (dataset, model, other settings) and their seeds in common. */
    record Pairing(Group softmax, Group relu, List<String> seeds, PairedDifference difference) {
    }

    /** Per ReLU group with a softmax group of the same other settings: the seeds both finished, compared. */
    static List<Pairing> pairings(List<Group> groups) {
        List<Pairing> out = new ArrayList<>();
        for (Group relu : groups) {
            if (!relu.head().equals("relu")) {
                continue;
            }
            Map<String, String> key = new LinkedHashMap<>(relu.key());
            key.remove("head");
            Group softmax = groups.stream().filter(g -> g.head().equals("softmax") && g.dataset().equals(relu.dataset())
                    && g.model().equals(relu.model()) && withoutHead(g.key()).equals(key)).findFirst().orElse(null);
            if (softmax == null) {
                continue;
            }
            Map<String, Result> soft = new LinkedHashMap<>();
            softmax.rows().stream().filter(r -> r.result() != null).forEach(r -> soft.put(r.value("seed"), r.result()));
            List<String> seeds = new ArrayList<>();
            List<double[]> pairs = new ArrayList<>();
            for (Row r : relu.rows()) {
                Result s = soft.get(r.value("seed"));
                if (r.result() != null && s != null) {
                    seeds.add(r.value("seed"));
                    pairs.add(new double[] {r.result().testAccuracy(), s.testAccuracy()});
                }
            }
            PairedDifference d = pairs.isEmpty() ? null : PairedDifference.of(pairs.stream().mapToDouble(x -> x[0]).toArray(),
                    pairs.stream().mapToDouble(x -> x[1]).toArray());
            out.add(new Pairing(softmax, relu, seeds, d));
        }
        return out;
    }

    private static Map<String, String> withoutHead(Map<String, String> key) {
        Map<String, String> k = new LinkedHashMap<>(key);
        k.remove("head");
        return k;
    }

    static String tableCsv(List<Group> groups, List<String> shown) {
        List<String> header = new ArrayList<>(TABLE_COLUMNS);
        header.addAll(shown);
        header.addAll(List.of("cells", "test_accuracies", "cv_min", "cv_max", "paper_cv_std", "class_died_seeds", "relu_seeds",
                "unpredicted_seeds", "dead_output_rows_median"));
        List<List<Object>> records = new ArrayList<>();
        for (Group g : groups) {
            double[] test = g.test(), cv = g.cv();
            PaperTable.Paper p = g.paper();
            List<Result> done = g.done();
            List<Result> relu = done.stream().filter(x -> x.classDeaths() >= 0).toList();
            List<Object> r = new ArrayList<>(List.of(g.dataset(), g.model(), g.head(), done.size(), num(Stats.median(test)), num(min(test)),
                    num(max(test)), num(Stats.median(cv)), p == null ? "" : p.testAccuracy(), p == null ? "" : p.cvMean()));
            for (String a : shown) {
                r.add(g.key().getOrDefault(a, ""));
            }
            r.addAll(List.of(g.rows().size(), joined(test), num(min(cv)), num(max(cv)), p == null ? "" : p.cvStd(),
                    relu.isEmpty() ? "" : relu.stream().filter(x -> x.classDeaths() > 0).count(), relu.isEmpty() ? "" : relu.size(),
                    done.stream().filter(x -> x.unpredicted() > 0).count(),
                    num(Stats.median(done.stream().mapToDouble(Result::deadOutputRows).toArray()))));
            records.add(r);
        }
        return csvText(header, records);
    }

    static String pairedCsv(List<Pairing> pairings, List<String> shown) {
        List<String> header = new ArrayList<>(List.of("dataset", "model"));
        header.addAll(shown);
        header.addAll(List.of("pairs", "seeds", "relu_minus_softmax_median", "ci_low", "ci_high", "ci_level", "wilcoxon_p", "p_exact",
                "smallest_possible_p", "differences"));
        List<List<Object>> records = new ArrayList<>();
        for (Pairing x : pairings) {
            List<Object> r = new ArrayList<>(List.of(x.relu().dataset(), x.relu().model()));
            for (String a : shown) {
                r.add(x.relu().key().getOrDefault(a, ""));
            }
            PairedDifference d = x.difference();
            r.add(x.seeds().size());
            r.add(String.join(" ", x.seeds()));
            if (d == null) {
                r.addAll(List.of("", "", "", "", "", "", "", ""));
            } else {
                r.addAll(List.of(d.median(), d.ciLow(), d.ciHigh(), d.ciLevel(), num(d.p()), d.exact(), d.smallestP(), joined(d.differences())));
            }
            records.add(r);
        }
        return csvText(header, records);
    }

    private static Object num(double v) {
        return Double.isNaN(v) ? "" : v;
    }

    private static String joined(double[] v) {
        return String.join(" ", Arrays.stream(v).mapToObj(Double::toString).toList());
    }

    /**
     * table.md: the paper's table over seeds, one line per group in the grid's order (the other axes' values name the line),
     * then the paired ReLU − softmax comparison per (dataset, model).
     */
    static String table(String name, List<Group> groups, List<String> shown, List<Pairing> pairings) {
        StringBuilder s = new StringBuilder();
        s.append("# Study ").append(name).append("\n\n");
        s.append("Accuracies in %: median [min – max] over the seeds done. A class died: seeds in which the ReLU head's output for a "
                + "class was 0 on every validation row at some epoch (run.json's class deaths; ReLU head only). A class unpredicted: "
                + "seeds in which some class has test recall 0 (no test row of it predicted right). Dead output rows: training rows "
                + "whose ReLU-head outputs were all zero, summed over every epoch, median over seeds. table.csv holds the same "
                + "figures as fractions.\n\n");
        List<String> header = new ArrayList<>(List.of("dataset", "model", "head"));
        header.addAll(shown);
        int firstNumber = header.size();
        header.addAll(List.of("seeds", "CV accuracy", "test accuracy", "a class died", "a class unpredicted", "dead output rows",
                "paper CV", "paper test"));
        MarkdownTable t = new MarkdownTable(firstNumber, header.toArray(String[]::new));
        for (Group g : groups) {
            List<Object> cells = new ArrayList<>(List.of(g.dataset(), g.model(), g.head()));
            for (String a : shown) {
                cells.add(g.key().getOrDefault(a, ""));
            }
            List<Result> done = g.done();
            double[] dead = done.stream().mapToDouble(Result::deadOutputRows).toArray();
            List<Result> relu = done.stream().filter(x -> x.classDeaths() >= 0).toList();
            long died = relu.stream().filter(x -> x.classDeaths() > 0).count();
            long unpredicted = done.stream().filter(x -> x.unpredicted() > 0).count();
            cells.addAll(List.of(done.size() + "/" + g.rows().size(), done.isEmpty() ? "" : Reports.spread(g.cv()),
                    done.isEmpty() ? "" : Reports.spread(g.test()), relu.isEmpty() ? "" : died + "/" + relu.size(),
                    done.isEmpty() ? "" : unpredicted + "/" + done.size(),
                    done.isEmpty() ? "" : String.format(Locale.ROOT, "%.0f", Stats.median(dead))));
            PaperTable.Paper p = g.paper();
            cells.add(p == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * p.cvMean()));
            cells.add(p == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * p.testAccuracy()));
            t.row(cells.toArray());
        }
        s.append(t);
        if (!pairings.isEmpty()) {
            s.append("\n").append(pairedSection(pairings, shown));
        }
        return s.toString();
    }

    private static String pairedSection(List<Pairing> pairings, List<String> shown) {
        StringBuilder s = new StringBuilder("## ReLU head − softmax head, paired by seed\n\n");
        s.append("Test accuracy of the ReLU head minus that of the softmax head trained with the same seed, in points. Interval: the "
                + "distribution-free sign-test interval for the median difference (order statistics of the differences), the "
                + "narrowest covering at least 95 %; with 5 pairs or fewer no such interval exists and [min, max] is shown with its "
                + "own coverage. p: two-sided Wilcoxon signed-rank test of no difference (Apache Commons Statistics; exact unless a "
                + "difference is 0 or two tie in size, then the normal approximation). paired.csv holds the differences.\n\n");
        List<String> header = new ArrayList<>(List.of("dataset", "model"));
        header.addAll(shown);
        int firstNumber = header.size();
        header.addAll(List.of("pairs", "median difference", "interval", "Wilcoxon p", "note"));
        MarkdownTable t = new MarkdownTable(firstNumber, header.toArray(String[]::new));
        for (Pairing x : pairings) {
            List<Object> cells = new ArrayList<>(List.of(x.relu().dataset(), x.relu().model()));
            for (String a : shown) {
                cells.add(x.relu().key().getOrDefault(a, ""));
            }
            PairedDifference d = x.difference();
            if (d == null) {
                cells.addAll(List.of(0, "", "", "", "no seed has both heads done"));
            } else {
                List<String> notes = new ArrayList<>();
                if (!d.canReach(0.05)) {
                    notes.add(String.format(Locale.ROOT, "%d pairs cannot give p < 0.05 two-sided (the smallest possible p is %.4f)",
                            d.pairs(), d.smallestP()));
                }
                if (d.ciLevel() < PairedDifference.LEVEL) {
                    notes.add(String.format(Locale.ROOT, "too few pairs for a 95 %% interval: [min, max] covers %.2f %%", 100 * d.ciLevel()));
                }
                if (!Double.isNaN(d.p()) && !d.exact()) {
                    notes.add("p from the normal approximation (ties or zero differences)");
                }
                if (Double.isNaN(d.p())) {
                    notes.add("every difference is 0: no test");
                }
                cells.addAll(List.of(d.pairs(), String.format(Locale.ROOT, "%+.2f", 100 * d.median()),
                        String.format(Locale.ROOT, "[%+.2f, %+.2f] (%.1f %%)", 100 * d.ciLow(), 100 * d.ciHigh(), 100 * d.ciLevel()),
                        Double.isNaN(d.p()) ? "" : String.format(Locale.ROOT, "%.4f", d.p()), String.join("; ", notes)));
            }
            t.row(cells.toArray());
        }
        s.append(t);
        return s.toString();
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
