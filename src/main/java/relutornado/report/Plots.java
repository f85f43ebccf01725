package relutornado.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import relutornado.metrics.Stats;
import relutornado.io.AtomicFiles;

/**
 * The figures of a run and of a study (XChart), as PNG files and as PNG bytes for report.html.
 * <ul>
 *   <li>learning curves: per fold over the epoch (sound protocol, one fresh model per fold), or one continuous
 *       axis across folds with the fold boundaries marked (paper protocol, one model carried on);</li>
 *   <li>per-layer curves (dead units, sparsity) over the continuous epoch axis;</li>
 *   <li>the confusion matrix as a heatmap; device time per epoch as stacked bars; a dot per seed and group beside the paper's
 *       value (studies).</li>
 * </ul>
 */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final Color BOUNDARY = new Color(120, 120, 120);

    private Plots() {
    }

    /** Writes {@code accuracy.png} and {@code loss.png} into the folder. */
    public static void writeCurves(Path dir, List<EpochRow> rows, String title, boolean continuous) throws IOException {
        write(dir.resolve("accuracy.png"), accuracy(rows, title, continuous));
        write(dir.resolve("loss.png"), loss(rows, title, continuous));
    }

    public static XYChart accuracy(List<EpochRow> rows, String title, boolean continuous) {
        return curves(rows, title + ": accuracy", "accuracy", EpochRow::trainAcc, EpochRow::valAcc, continuous);
    }

    public static XYChart loss(List<EpochRow> rows, String title, boolean continuous) {
        return curves(rows, title + ": loss", "loss", EpochRow::trainLoss, EpochRow::valLoss, continuous);
    }

    public static void write(Path file, Chart<?, ?> chart) throws IOException {
        byte[] png = png(chart);
        AtomicFiles.write(file, out -> out.write(png));
    }

    public static byte[] png(Chart<?, ?> chart) throws IOException {
        System.setProperty("java.awt.headless", "true");
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Training (dashed) and validation (solid) per fold, one colour per fold. */
    static XYChart curves(List<EpochRow> rows, String title, String yLabel, ToDoubleFunction<EpochRow> train,
                          ToDoubleFunction<EpochRow> val, boolean continuous) {
        XYChart chart = xy(title, continuous ? "epoch (all folds, in training order)" : "epoch", yLabel);
        double[] x = continuous ? globalEpochs(rows) : rows.stream().mapToDouble(EpochRow::epoch).toArray();
        Color[] palette = chart.getStyler().getSeriesColors();
        int i = 0;
        for (var fold : byFold(rows).entrySet()) {
            String name = fold.getKey() == 0 ? "final" : "fold " + fold.getKey();
            Color color = palette[i++ % palette.length];
            List<Integer> idx = fold.getValue();
            XYSeries t = add(chart, name + " train", pick(x, idx), pick(rows, idx, train), color);
            t.setLineStyle(SeriesLines.DASH_DASH);
            double[] v = pick(rows, idx, val);
            if (java.util.Arrays.stream(v).anyMatch(d -> !Double.isNaN(d))) {
                add(chart, name + " val", pick(x, idx), v, color);
            }
        }
        if (continuous) {
            markFolds(chart, rows, x);
        }
        return chart;
    }

    /**
     * One series per layer of the extra columns {@code prefix + layer} (e.g. dead_units_relu1), in percent,
     * over the continuous epoch axis with fold boundaries; null when the rows have no such column. With a fresh model
     * per fold (sound protocol) the lines break at the boundaries: one model's curve does not run into the next.
     */
    public static XYChart layerCurves(List<EpochRow> rows, String title, String prefix, String yLabel, boolean freshModelPerFold) {
        if (rows.isEmpty()) {
            return null;
        }
        List<String> columns = rows.get(0).extra().keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        if (columns.isEmpty()) {
            return null;
        }
        XYChart chart = xy(title, "epoch (all folds, in training order)", yLabel);
        double[] x = globalEpochs(rows);
        Color[] palette = chart.getStyler().getSeriesColors();
        int i = 0;
        for (String c : columns) {
            List<double[]> points = new ArrayList<>();
            for (int j = 0; j < rows.size(); j++) {
                if (freshModelPerFold && j > 0 && rows.get(j).fold() != rows.get(j - 1).fold()) {
                    points.add(new double[] {x[j] - 0.5, Double.NaN}); // XChart leaves a gap at NaN
                }
                points.add(new double[] {x[j], 100 * rows.get(j).extra().get(c)});
            }
            add(chart, c.substring(prefix.length()), points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray(), palette[i++ % palette.length]);
        }
        markFolds(chart, rows, x);
        return chart;
    }

    /** The test confusion matrix: rows true class, columns predicted, counts in the cells. */
    public static HeatMapChart confusion(CsvReports.Confusion c, String title) {
        int k = c.classes().size();
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.min(WIDTH, 300 + 50 * k)).height(Math.min(WIDTH, 200 + 45 * k))
                .title(title).xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214), new Color(8, 48, 107)});
        chart.getStyler().setValueFontColor(new Color(200, 30, 30));
        List<String> labels = c.classes();
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                // y runs upwards in a heatmap: true class 0 on the top row, as in the CSV
                cells.add(new Number[] {p, k - 1 - t, c.counts()[t][p]});
            }
        }
        List<String> yLabels = new ArrayList<>(labels);
        java.util.Collections.reverse(yLabels);
        chart.addSeries("confusion", labels, yLabels, cells);
        return chart;
    }

    /**
     * Device time per epoch (training and validation together), stacked: kernel, copy in + out, compile, in
     * seconds, from the profiler columns (kernel_ns, copy_in_ns, copy_out_ns, compile_ns); null without them.
     */
    public static CategoryChart deviceBars(List<EpochRow> rows, String title) {
        if (rows.isEmpty() || !rows.get(0).extra().containsKey("kernel_ns")) {
            return null;
        }
        List<String> x = new ArrayList<>();
        double[] global = globalEpochs(rows);
        for (double g : global) {
            x.add(Integer.toString((int) g));
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch (all folds, in training order)").yAxisTitle("seconds").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(rows.size() > 40 ? 90 : 0);
        chart.getStyler().setXAxisTicksVisible(rows.size() <= 100);
        chart.addSeries("kernel", x, seconds(rows, "kernel_ns"));
        List<Double> copy = new ArrayList<>();
        List<Double> in = seconds(rows, "copy_in_ns"), out = seconds(rows, "copy_out_ns");
        for (int i = 0; i < rows.size(); i++) {
            copy.add(in.get(i) + out.get(i));
        }
        chart.addSeries("copy in + out", x, copy);
        chart.addSeries("compile", x, seconds(rows, "compile_ns"));
        return chart;
    }

    /** Stacked bars of one value per group, split by part: {@code parts.get(part)[group]}. */
    public static CategoryChart groupBars(String title, String yLabel, List<String> groups, Map<String, double[]> parts) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(groups.size() > 4 ? 20 : 0);
        for (var e : parts.entrySet()) {
            List<Double> v = new ArrayList<>();
            for (double d : e.getValue()) {
                v.add(Double.isNaN(d) ? 0.0 : d);
            }
            chart.addSeries(e.getKey(), groups, v);
        }
        return chart;
    }

    /** The name of the series that marks the paper's value per group on the "over seeds" figures. */
    public static final String PAPER_SERIES = "paper (Agarap 2018)";
    /** The paper's marks: a red cross, apart from the heads' blue and orange. */
    static final Color PAPER_COLOR = new Color(214, 39, 40);
    /** Softmax head blue, ReLU head orange (other heads grey): ReLU and softmax of one paper row sit side by side in two colours. */
    static final Map<String, Color> HEAD_COLORS = Map.of("softmax", new Color(31, 119, 180), "relu", new Color(255, 127, 14));

    /**
     * One group of a study on the "over seeds" figures.
     *
     * @param name    its name on the axis ("mnist · ffnn · relu")
     * @param head    its head (the dots' colour)
     * @param values  one value per seed done
     * @param paper   the paper's value, or null where the paper has none
     * @param paperSd the paper's ± (an error bar on its mark), or null
     */
    public record SeedGroup(String name, String head, List<Double> values, Double paper, Double paperSd) {
    }

    /**
     * A dot per seed at its group, named on the axis, coloured by head; the median over seeds a black diamond; the paper's
     * value a red cross (with its ± sd as an error bar where given): readable with one seed or five, where a box plot of one
     * or two values says nothing.
     */
    public static CategoryChart overSeeds(String title, String yLabel, List<SeedGroup> groups) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + 60).title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("#0.0");
        chart.getStyler().setXAxisLabelRotation(groups.size() > 3 ? 30 : 0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setErrorBarsColor(PAPER_COLOR);
        List<String> names = groups.stream().map(SeedGroup::name).toList();
        int seeds = groups.stream().mapToInt(g -> g.values().size()).max().orElse(0);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        List<Double> medians = new ArrayList<>();
        List<Double> paper = new ArrayList<>();
        List<Double> paperSd = new ArrayList<>();
        for (SeedGroup g : groups) {
            double[] v = g.values().stream().mapToDouble(Double::doubleValue).toArray();
            medians.add(v.length == 0 ? null : Stats.median(v));
            paper.add(g.paper());
            paperSd.add(g.paperSd() == null ? 0.0 : g.paperSd());
            for (double d : v) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
            if (g.paper() != null) {
                double sd = g.paperSd() == null ? 0 : g.paperSd();
                lo = Math.min(lo, g.paper() - sd);
                hi = Math.max(hi, g.paper() + sd);
            }
        }
        // drawn first: the seeds' dots lie over their median, the paper's marks over both
        CategorySeries m = chart.addSeries("median over seeds", names, medians);
        m.setMarker(SeriesMarkers.DIAMOND);
        m.setMarkerColor(Color.BLACK);
        for (String head : groups.stream().map(SeedGroup::head).distinct().toList()) {
            Color color = HEAD_COLORS.getOrDefault(head, Color.GRAY);
            // one series per seed index, so that every seed is its own dot; the first names the head in the legend
            for (int j = 0; j < seeds; j++) {
                List<Double> y = new ArrayList<>();
                for (SeedGroup g : groups) {
                    y.add(g.head().equals(head) && j < g.values().size() ? g.values().get(j) : null);
                }
                if (y.stream().allMatch(java.util.Objects::isNull)) {
                    continue;
                }
                CategorySeries s = chart.addSeries(head + " head, dot " + (j + 1), names, y);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(color);
                s.setShowInLegend(j == 0);
                if (j == 0) {
                    s.setLabel(head + " head (a dot per seed)");
                }
            }
        }
        if (paper.stream().anyMatch(java.util.Objects::nonNull)) {
            boolean bars = groups.stream().anyMatch(g -> g.paperSd() != null);
            CategorySeries p = bars ? chart.addSeries(PAPER_SERIES, names, paper, paperSd) : chart.addSeries(PAPER_SERIES, names, paper);
            p.setMarker(SeriesMarkers.CROSS);
            p.setMarkerColor(PAPER_COLOR);
            if (bars) {
                p.setLabel(PAPER_SERIES + ", ± sd");
            }
        }
        if (lo <= hi) {
            // a margin around the values, also when every cell scored the same
            double pad = Math.max(0.5, (hi - lo) * 0.08);
            chart.getStyler().setYAxisMin(Math.floor(lo - pad));
            chart.getStyler().setYAxisMax(hi <= 100 ? Math.min(100.0, Math.ceil(hi + pad)) : Math.ceil(hi + pad)); // percents stop at 100
        }
        return chart;
    }

    /** How many groups carry the paper's mark on an {@link #overSeeds} figure (0 without the series). */
    public static int paperMarks(CategoryChart chart) {
        CategorySeries p = chart.getSeriesMap().get(PAPER_SERIES);
        if (p == null) {
            return 0;
        }
        return (int) p.getYData().stream().filter(y -> y != null && !Double.isNaN(y.doubleValue())).count();
    }

    /**
     * Curves over a shared x axis 1, 2, ..., one per name (e.g. the median validation accuracy of each study group), with
     * the fold boundaries of {@code folds} (rows in training order; may be empty) dashed.
     */
    public static XYChart lines(String title, String xLabel, String yLabel, Map<String, double[]> series, List<EpochRow> folds) {
        XYChart chart = xy(title, xLabel, yLabel);
        Color[] palette = chart.getStyler().getSeriesColors();
        int i = 0;
        for (var e : series.entrySet()) {
            double[] x = new double[e.getValue().length];
            for (int j = 0; j < x.length; j++) {
                x[j] = j + 1;
            }
            add(chart, e.getKey(), x, e.getValue(), palette[i++ % palette.length]);
        }
        markFolds(chart, folds, globalEpochs(folds));
        return chart;
    }

    /** 1, 2, 3, ... over all rows in training order: the paper protocol's one model sees them in this order. */
    static double[] globalEpochs(List<EpochRow> rows) {
        double[] x = new double[rows.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** A vertical line before the first epoch of every fold after the first, labelled with the fold. */
    private static void markFolds(XYChart chart, List<EpochRow> rows, double[] x) {
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).fold() != rows.get(i - 1).fold()) {
                AnnotationLine line = new AnnotationLine(x[i] - 0.5, true, false);
                chart.addAnnotation(line);
            }
        }
        chart.getStyler().setAnnotationLineColor(BOUNDARY);
        chart.getStyler().setAnnotationLineStroke(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    }

    private static XYChart xy(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    private static Map<Integer, List<Integer>> byFold(List<EpochRow> rows) {
        Map<Integer, List<Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            m.computeIfAbsent(rows.get(i).fold(), f -> new ArrayList<>()).add(i);
        }
        return m;
    }

    private static double[] pick(double[] x, List<Integer> idx) {
        return idx.stream().mapToDouble(i -> x[i]).toArray();
    }

    private static double[] pick(List<EpochRow> rows, List<Integer> idx, ToDoubleFunction<EpochRow> f) {
        return idx.stream().mapToDouble(i -> f.applyAsDouble(rows.get(i))).toArray();
    }

    private static List<Double> seconds(List<EpochRow> rows, String column) {
        return rows.stream().map(r -> {
            Double v = r.extra().get(column);
            return v == null || v.isNaN() ? 0.0 : v / 1e9;
        }).toList();
    }

    private static XYSeries add(XYChart chart, String name, double[] xs, double[] ys, Color color) {
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        return s;
    }
}
