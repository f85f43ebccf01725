package relutornado.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Training curves as PNG (XChart): per fold, training (dashed) and validation (solid) against the epoch. */
public final class Plots {
    private Plots() {
    }

    /** Writes {@code accuracy.png} and {@code loss.png} into the folder. */
    public static void writeCurves(Path dir, List<EpochRow> rows, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        write(dir.resolve("accuracy.png"), rows, title + ": accuracy", "accuracy", EpochRow::trainAcc, EpochRow::valAcc);
        write(dir.resolve("loss.png"), rows, title + ": loss", "loss", EpochRow::trainLoss, EpochRow::valLoss);
    }

    private static void write(Path file, List<EpochRow> rows, String title, String yLabel, ToDoubleFunction<EpochRow> train,
                              ToDoubleFunction<EpochRow> val) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("epoch").yAxisTitle(yLabel).build();
        chart.getStyler().setMarkerSize(3);
        Map<Integer, List<EpochRow>> byFold = new LinkedHashMap<>();
        for (EpochRow r : rows) {
            byFold.computeIfAbsent(r.fold(), f -> new ArrayList<>()).add(r);
        }
        java.awt.Color[] palette = chart.getStyler().getSeriesColors();
        int i = 0;
        for (var e : byFold.entrySet()) {
            String fold = e.getKey() == 0 ? "final" : "fold " + e.getKey();
            java.awt.Color color = palette[i++ % palette.length]; // one colour per fold, dashed = training
            XYSeries t = add(chart, fold + " train", e.getValue(), train, color);
            t.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            if (e.getValue().stream().anyMatch(r -> !Double.isNaN(val.applyAsDouble(r)))) {
                add(chart, fold + " val", e.getValue(), val, color);
            }
        }
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYSeries add(XYChart chart, String name, List<EpochRow> rows, ToDoubleFunction<EpochRow> y, java.awt.Color color) {
        double[] xs = rows.stream().mapToDouble(EpochRow::epoch).toArray();
        double[] ys = rows.stream().mapToDouble(y).toArray();
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        return s;
    }
}
