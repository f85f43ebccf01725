package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.cli.Main;

/** report.html of a run and of a study: self-contained, every figure inline and on disk, the numbers of the run. */
class ReportsTest {
    @TempDir
    Path tmp;

    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]*)\"");

    static void assertSelfContained(String html) {
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "a reference that needs the network");
        assertFalse(html.contains("<link"), "style sheets must be inline");
        Matcher m = IMG.matcher(html);
        int images = 0;
        while (m.find()) {
            assertTrue(m.group(1).startsWith("data:image/png;base64,"), "inline PNG, got " + m.group(1));
            byte[] png = java.util.Base64.getDecoder().decode(m.group(1).substring("data:image/png;base64,".length()));
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
            images++;
        }
        assertTrue(images >= 1, "no figure");
    }

    @Test
    void runReportShowsTheRunsNumbersAndFiguresInlineAndAsPngFiles() throws IOException {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data"), 120);
        Path run = ReportFixtures.train(data, tmp.resolve("run"), "--head", "relu", "--protocol", "paper");
        Path page = run.resolve("report.html");
        assertTrue(Files.isRegularFile(page), "train writes report.html");
        String html = Files.readString(page);
        assertSelfContained(html);
        for (String png : List.of("accuracy.png", "loss.png", "confusion.png", "dead_units.png", "sparsity.png")) {
            assertTrue(Files.size(run.resolve(png)) > 1000, png);
            assertTrue(html.contains("(<code>" + png + "</code>)"), png + " on the page");
        }
        assertFalse(Files.exists(run.resolve("device.png")), "no profiler figures, no device bars");
        assertTrue(html.contains("No profiler figures"));
        // the paper's WDBC FFNN-ReLU row and this run's test accuracy from result.csv
        assertTrue(html.contains("87.96 ± 9.91") && html.contains("90.64"), "paper row");
        PaperTable.Row r = PaperTable.readResult(run.resolve("result.csv"));
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "<td class=\"num\">%.2f</td>", 100 * r.testAccuracy())));
        assertTrue(html.contains("relu1") && html.contains("relu7"), "one row per hidden ReLU layer");
        assertTrue(html.contains("sha256") || html.contains("SHA-256"));
        assertTrue(html.contains("breast_cancer.csv"));
    }

    @Test
    void profilerColumnsGiveDeviceBarsAndReportDirRewritesThePage() throws IOException {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data"), 120);
        Path run = ReportFixtures.train(data, tmp.resolve("run"), "--head", "softmax");
        ReportFixtures.addProfilerColumns(run);
        Files.delete(run.resolve("report.html"));
        assertEquals(0, Main.run("report", run.toString()));
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(Files.size(run.resolve("device.png")) > 1000);
        assertTrue(html.contains("(<code>device.png</code>)"));
        assertFalse(html.contains("class deaths of the ReLU head"), "a softmax head has no classes to die");
    }

    @Test
    void studyReportGroupsSeedsWithMedianAndRangeAndLinksEveryCell() throws IOException {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data"), 120);
        Path study = tmp.resolve("study");
        List<Path> cells = ReportFixtures.study(data, study);
        Path page = Reports.writeStudyReport(study, cells);
        String html = Files.readString(page);
        assertSelfContained(html);
        double[] relu = new double[2];
        for (int i = 0; i < 2; i++) {
            relu[i] = PaperTable.readResult(cells.get(i).resolve("result.csv")).testAccuracy();
        }
        assertTrue(html.contains(Reports.spread(relu)), "median [min – max] of the ReLU group: " + Reports.spread(relu));
        for (Path c : cells) {
            assertTrue(html.contains("href=\"cells/" + c.getFileName() + "/report.html\""), "link to " + c);
            assertTrue(Files.isRegularFile(c.resolve("report.html")));
        }
        for (String png : List.of("study_test_accuracy.png", "study_cv_accuracy.png", "study_val_accuracy.png", "study_dead_units.png",
                "study_device.png")) {
            assertTrue(Files.size(study.resolve(png)) > 1000, png);
        }
        // both heads of WDBC's FFNN row carry the paper's mark, on the test and on the CV figure
        assertTrue(html.contains("<figure id=\"fig-study_test_accuracy\" data-paper-marks=\"2\">"), "test figure's paper marks");
        assertTrue(html.contains("<figure id=\"fig-study_cv_accuracy\" data-paper-marks=\"2\">"), "CV figure's paper marks");
        // the CLI finds the cells by itself
        Files.delete(page);
        assertEquals(0, Main.run("report", study.toString()));
        assertTrue(Files.isRegularFile(page));
    }

    @Test
    void reportDirWithRunDirsPutsThoseRunsOnOnePageAsCompareDevicesDoes() throws IOException {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data"), 120);
        Path a = ReportFixtures.train(data, tmp.resolve("compare").resolve("java"), "--head", "relu");
        Path b = ReportFixtures.train(data, tmp.resolve("compare").resolve("0-0"), "--head", "relu");
        ReportFixtures.addProfilerColumns(b);
        Path page = tmp.resolve("compare").resolve("report.html");
        assertEquals(0, Main.run("report", tmp.resolve("compare").toString(), a.toString(), b.toString()));
        String html = Files.readString(page);
        assertSelfContained(html);
        assertTrue(html.contains("href=\"java/report.html\"") && html.contains("href=\"0-0/report.html\""));
        assertFalse(html.contains("No cell has profiler figures"), "one run has them: kernel / copy / compile bars");
        // compare-devices.sh --rounds: DEVICE/round-R folders, named on the page by their path, not their repeated folder name
        Path rounds = tmp.resolve("rounds");
        Path ra = copyTree(a, rounds.resolve("java").resolve("round-1"));
        Path rb = copyTree(b, rounds.resolve("0-0").resolve("round-1"));
        assertEquals(0, Main.run("report", rounds.toString(), ra.toString(), rb.toString()));
        String roundsHtml = Files.readString(rounds.resolve("report.html"));
        assertTrue(roundsHtml.contains(">java/round-1<") && roundsHtml.contains(">0-0/round-1<"), "runs named by their path");
        assertTrue(html.contains(">java<") && !html.contains(">compare/java<"), "distinct folder names stay as they are");
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
        return to;
    }

    @Test
    void aRunJsonFromBeforeTheDyingReluAnalysisStillGetsAPage() throws IOException {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data"), 120);
        Path run = ReportFixtures.train(data, tmp.resolve("old"), "--head", "relu");
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        json.getAsJsonObject("results").remove("dying_relu");
        json.getAsJsonObject("results").remove("train_samples_per_second");
        Files.writeString(run.resolve("run.json"), json.toString());
        String html = Files.readString(Reports.writeRunReport(run));
        assertSelfContained(html);
        assertFalse(html.contains("training throughput"), "no figure, no row");
    }

    /** run.json's kernel choices are an array of objects (the tornado engine's): each becomes one table cell. */
    @Test
    void anArrayOfObjectsInRunJsonIsOneCellOfTheSettingsTable() throws IOException {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data"), 120);
        Path run = ReportFixtures.train(data, tmp.resolve("choices"));
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        json.getAsJsonObject("engine").add("kernel_choices", com.google.gson.JsonParser.parseString(
                "{\"sha256\": \"ab12\", \"choices\": [{\"kernel\": \"Dense.forward\", \"product\": \"256x512x512\", \"source\": \"rule\"},"
                        + " {\"kernel\": \"Adam.update\"}]}"));
        Files.writeString(run.resolve("run.json"), json.toString());
        String html = Files.readString(Reports.writeRunReport(run));
        assertSelfContained(html);
        assertTrue(html.contains("<th>engine.kernel_choices.choices</th><td>(kernel Dense.forward; product 256x512x512; candidate –; source rule), (kernel Adam.update;"), "the choices in one cell");
    }

    @Test
    void cellsThatDifferInASettingBesidesTheSeedAreTwoGroupsNamedByIt() throws IOException {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data"), 120);
        Path study = tmp.resolve("lr");
        List<Path> cells = List.of(
                ReportFixtures.train(data, study.resolve("cells").resolve("a"), "--seed", "1"),
                ReportFixtures.train(data, study.resolve("cells").resolve("b"), "--seed", "2"),
                ReportFixtures.train(data, study.resolve("cells").resolve("c"), "--seed", "1", "--lr", "0.002"));
        String html = Files.readString(Reports.writeStudyReport(study, cells));
        assertTrue(html.contains("2 groups"), "lr 0.01 (two seeds) and lr 0.002");
        // Mustache escapes '=' as &#61; (the same character to a browser)
        assertTrue(html.contains("optimizer.lr&#61;0.002") && html.contains("optimizer.lr&#61;0.01"), "the groups name what differs");
    }

    @Test
    void spreadIsMedianAndRangeOverTheValuesGiven() {
        assertEquals("50.00 [10.00 – 90.00]", Reports.spread(new double[] {0.9, 0.1, 0.5}));
        assertEquals("42.00", Reports.spread(new double[] {0.42}));
        assertEquals("42.00", Reports.spread(new double[] {Double.NaN, 0.42}), "a missing figure is left out");
        assertEquals("–", Reports.spread(new double[0]));
    }

    @Test
    void aFolderThatIsNeitherRunNorStudyIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reports.writeReport(tmp));
        assertTrue(e.getMessage().contains("neither a run folder"), e.getMessage());
    }
}
