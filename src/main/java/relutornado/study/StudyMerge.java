package relutornado.study;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@code study merge}: one row per cell in DIR/study.csv (its settings, state and results) and the paper's
 * table in DIR/table.md: per row of the grid without its seed axis, the median and min-max over seeds of CV
 * and test accuracy, and in how many seeds a class died.
 */
public final class StudyMerge {
    private StudyMerge() {
    }

    /**
     * A done cell's figures. classDeaths: the ReLU head's class deaths run.json records (a class whose output was 0 for
     * every validation row), -1 for a softmax head; unpredicted: classes of the test set never predicted right (recall 0).
     */
    public record Result(double cvMean, double cvStd, double testAccuracy, double f1, long deadOutputRows, int classDeaths,
                         int unpredicted, double seconds, String engine) {
    }

    /** One cell of the merged study: settings, state, and results when done. */
    public record Row(String id, Map<String, String> settings, StudyDir.Status status, Result result) {
    }

    /** Writes study.csv, table.md and the study's report.html; returns the table. */
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
        AtomicFiles.writeStringUnchecked(dir.dir().resolve("study.csv"), csv(rows));
        String table = table(grid.name(), grid.axes(), rows);
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
        return new Result(r.cvAccuracyMean(), r.cvAccuracyStd(), r.testAccuracy(), r.weightedAvg() == null ? Double.NaN : r.weightedAvg().f1(),
                r.deadOutputRows(), deaths, unpredicted, run.timings() == null ? Double.NaN : run.timings().totalSeconds(),
                run.engine() == null ? "" : run.engine().name() + (run.engine().deviceIndex() == null ? "" : " " + run.engine().deviceIndex()));
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

    static String csv(List<Row> rows) {
        Set<String> keys = new LinkedHashSet<>();
        rows.forEach(r -> keys.addAll(r.settings().keySet()));
        List<String> header = new ArrayList<>(List.of("id", "state", "note"));
        header.addAll(keys);
        header.addAll(List.of("cv_accuracy_mean", "cv_accuracy_std", "test_accuracy", "weighted_f1", "dead_output_rows",
                "class_deaths", "unpredicted_classes", "ran_on", "seconds"));
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator("\n").build())) {
            for (Row r : rows) {
                List<Object> cells = new ArrayList<>(List.of(r.id(), r.status().state().name().toLowerCase(Locale.ROOT), r.status().note()));
                for (String k : keys) {
                    cells.add(r.settings().getOrDefault(k, ""));
                }
                Result x = r.result();
                if (x == null) {
                    cells.addAll(List.of("", "", "", "", "", "", "", "", ""));
                } else {
                    cells.addAll(List.of(x.cvMean(), x.cvStd(), x.testAccuracy(), x.f1(), x.deadOutputRows(), x.classDeaths() < 0 ? "" : x.classDeaths(),
                            x.unpredicted(), x.engine(),
                            String.format(Locale.ROOT, "%.1f", x.seconds())));
                }
                p.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * The Markdown table: one line per combination of the settings other than the seed, in the grid's order;
     * the other axes' values name the line.
     */
    static String table(String name, List<String> axes, List<Row> rows) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, String> key = new LinkedHashMap<>(r.settings());
            key.remove("seed");
            key.keySet().removeAll(Study.NOT_IN_ID);
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(r);
        }
        List<String> shown = new ArrayList<>();
        for (String a : axes) {
            if (!a.equals("seed") && !a.equals("dataset") && !a.equals("model") && !a.equals("head")) {
                shown.add(a);
            }
        }
        StringBuilder s = new StringBuilder();
        s.append("# Study ").append(name).append("\n\n");
        s.append("Accuracies in %: median [min – max] over the seeds done. A class died: seeds in which the ReLU head's output for a "
                + "class was 0 on every validation row at some epoch (run.json's class deaths; ReLU head only). A class unpredicted: "
                + "seeds in which some class has test recall 0 (no test row of it predicted right). Dead output rows: training rows "
                + "whose ReLU-head outputs were all zero, summed over every epoch, median over seeds.\n\n");
        List<String> header = new ArrayList<>(List.of("dataset", "model", "head"));
        header.addAll(shown);
        int firstNumber = header.size();
        header.addAll(List.of("seeds", "CV accuracy", "test accuracy", "a class died", "a class unpredicted", "dead output rows",
                "paper CV", "paper test"));
        MarkdownTable t = new MarkdownTable(firstNumber, header.toArray(String[]::new));
        for (List<Row> g : groups.values()) {
            Map<String, String> first = g.get(0).settings();
            String dataset = first.getOrDefault("dataset", "");
            String model = first.getOrDefault("model", "ffnn");
            String headName = first.getOrDefault("head", "relu");
            List<Object> cells = new ArrayList<>(List.of(dataset, model, headName));
            for (String a : shown) {
                cells.add(first.getOrDefault(a, ""));
            }
            List<Result> done = g.stream().map(Row::result).filter(java.util.Objects::nonNull).toList();
            double[] cv = done.stream().mapToDouble(Result::cvMean).toArray();
            double[] test = done.stream().mapToDouble(Result::testAccuracy).toArray();
            double[] dead = done.stream().mapToDouble(Result::deadOutputRows).toArray();
            List<Result> relu = done.stream().filter(x -> x.classDeaths() >= 0).toList();
            long died = relu.stream().filter(x -> x.classDeaths() > 0).count();
            long unpredicted = done.stream().filter(x -> x.unpredicted() > 0).count();
            cells.addAll(List.of(done.size() + "/" + g.size(), done.isEmpty() ? "" : Reports.spread(cv),
                    done.isEmpty() ? "" : Reports.spread(test), relu.isEmpty() ? "" : died + "/" + relu.size(),
                    done.isEmpty() ? "" : unpredicted + "/" + done.size(),
                    done.isEmpty() ? "" : String.format(Locale.ROOT, "%.0f", Stats.median(dead))));
            PaperTable.Paper p = PaperTable.PAPER.stream().filter(x -> x.dataset().toString().equals(dataset)
                    && x.model().toString().equals(model) && x.head().toString().equals(headName)).findFirst().orElse(null);
            cells.add(p == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * p.cvMean()));
            cells.add(p == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * p.testAccuracy()));
            t.row(cells.toArray());
        }
        s.append(t);
        return s.toString();
    }
}
