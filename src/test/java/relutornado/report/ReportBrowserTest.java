package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser (headless Debian chromium, installed by scripts/install-chromium.sh, which
 * scripts/test.sh runs): no console errors, no broken images, no network, a page that laid out; a full-page
 * screenshot lands in target/report-screenshots. Without chromium the test is skipped, unless
 * RELU_TORNADO_REQUIRE_BROWSER=1 (set by scripts/test.sh) makes that a failure.
 */
class ReportBrowserTest {
    @TempDir
    static Path tmp;
    static HeadlessChromium browser;
    static final Path SHOTS = Path.of("target", "report-screenshots");

    @BeforeAll
    static void start() throws Exception {
        Path binary = HeadlessChromium.find();
        if (binary == null) {
            if ("1".equals(System.getenv("RELU_TORNADO_REQUIRE_BROWSER"))) {
                fail("no chromium on PATH (scripts/install-chromium.sh installs Debian's)");
            }
            Assumptions.abort("no chromium on PATH: run scripts/install-chromium.sh");
        }
        browser = new HeadlessChromium(binary, 1100, 900);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    static HeadlessChromium.PageCheck render(Path page, String shot) throws Exception {
        HeadlessChromium.PageCheck c = browser.check(page);
        Files.write(SHOTS.resolve(shot), c.screenshot());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.screenshot()));
        // a painted page: the dark header band and plenty of non-white pixels, not an empty canvas
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb != 0xffffff && rgb != 0xf6f7f9) {
                    ink++;
                }
            }
        }
        double inked = ink / ((img.getHeight() / 4.0) * (img.getWidth() / 4.0));
        System.out.printf("%s: %d x %d px screenshot, %.0f %% ink, problems %s%n", page, img.getWidth(), img.getHeight(), 100 * inked,
                c.problems());
        assertTrue(inked > 0.05, "screenshot of " + page + " is nearly blank: " + inked);
        assertTrue((img.getRGB(20, 20) & 0xffffff) == 0x1d2433, "header band not painted at the top");
        return c;
    }

    @Test
    void runAndStudyReportsRenderCleanly() throws Exception {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data"), 150);
        Path run = ReportFixtures.train(data, tmp.resolve("run"), "--head", "relu", "--protocol", "paper", "--epochs", "6");
        ReportFixtures.addProfilerColumns(run);
        Reports.writeRunReport(run);
        HeadlessChromium.PageCheck c = render(run.resolve("report.html"), "run.png");
        assertEquals(List.of(), c.problems());
        assertTrue(c.pageHeight() > 3000, "a run page with all its figures is long: " + c.pageHeight());

        Path study = tmp.resolve("study");
        List<Path> cells = ReportFixtures.study(data, study);
        HeadlessChromium.PageCheck s = render(Reports.writeStudyReport(study, cells), "study.png");
        assertEquals(List.of(), s.problems());
    }

    /**
     * Pixels of the figure's image in the browser (drawn onto a canvas) within 60 (sum over R, G, B) of {@code rgb}, counted
     * above the legend band at the bottom (the plot itself; antialiased marks are near, not equal to, their colour).
     */
    static int pixels(String figure, java.awt.Color rgb) {
        return browser.evaluate("(() => { const img = document.querySelector('#fig-" + figure + " img');"
                + " const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;"
                + " const g = c.getContext('2d'); g.drawImage(img, 0, 0);"
                + " const d = g.getImageData(0, 0, c.width, Math.floor(c.height * 0.85)).data; let n = 0;"
                + " for (let i = 0; i < d.length; i += 4) { if (Math.abs(d[i] - " + rgb.getRed() + ") + Math.abs(d[i + 1] - " + rgb.getGreen()
                + ") + Math.abs(d[i + 2] - " + rgb.getBlue() + ") < 60) n++; } return n; })()").getAsInt();
    }

    @Test
    void theStudysAccuracyFiguresMarkThePapersValuePerGroupAndColourByHead() throws Exception {
        Path data = ReportFixtures.syntheticWdbc(tmp.resolve("data-marks"), 150);
        Path study = tmp.resolve("study-marks");
        List<Path> cells = ReportFixtures.study(data, study);
        HeadlessChromium.PageCheck s = render(Reports.writeStudyReport(study, cells), "study-marks.png");
        assertEquals(List.of(), s.problems());
        for (String figure : List.of("study_test_accuracy", "study_cv_accuracy")) {
            assertEquals("2", browser.evaluate("document.querySelector('#fig-" + figure + "').dataset.paperMarks").getAsString(),
                    figure + ": the paper's mark on WDBC's softmax and ReLU groups");
            int paper = pixels(figure, Plots.PAPER_COLOR);
            int softmax = pixels(figure, Plots.HEAD_COLORS.get("softmax"));
            int relu = pixels(figure, Plots.HEAD_COLORS.get("relu"));
            System.out.printf("%s: %d paper-red, %d softmax-blue, %d relu-orange pixels%n", figure, paper, softmax, relu);
            assertTrue(paper >= 2 * 12, figure + ": the paper's two red crosses are drawn, a dozen pixels or more each (" + paper + " px)");
            assertTrue(softmax > 50 && relu > 50, figure + ": dots in both heads' colours (" + softmax + ", " + relu + " px)");
        }
        assertTrue(browser.evaluate("document.querySelector('#fig-study_test_accuracy figcaption').textContent").getAsString()
                .contains("the paper's test accuracy a red cross"));
    }

    @Test
    void theCheckCatchesBrokenImagesConsoleErrorsExceptionsAndNetworkUse() throws Exception {
        Path bad = tmp.resolve("bad.html");
        Files.writeString(bad, """
                <!DOCTYPE html><html><head><style>body{font-family:sans-serif}</style></head><body>
                <header style="background:#1d2433;height:60px"></header>
                <section><img src="missing.png" alt="gone"><img src="http://192.0.2.1/x.png" alt="remote"></section>
                <section style="display:none">hidden</section>
                <script>console.error('boom'); throw new Error('uncaught');</script>
                </body></html>
                """);
        HeadlessChromium.PageCheck c = browser.check(bad);
        String all = String.join("\n", c.problems());
        for (String expected : List.of("broken image: gone", "console.error", "uncaught exception", "network request: http://192.0.2.1",
                "not laid out (no size): SECTION")) {
            assertTrue(all.contains(expected), "expected '" + expected + "' among\n" + all);
        }
    }
}
