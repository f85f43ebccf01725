package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands around runs, on one small study run here ('study run' with the local executor, what reproduce.sh
 * runs): two WDBC cells on two workers, each in a JVM of its own; then 'study status', 'study merge', and 'table' and
 * 'compare' on its cells (a cell is an ordinary run folder).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyCommandsTest {
    @TempDir
    static Path tmp;
    Path study;
    CliRuns.Printed run;
    List<Path> cells;

    @BeforeAll
    void runAStudyOnTwoWorkers() throws IOException {
        Path file = tmp.resolve("study.yaml");
        Files.writeString(file, """
                name: tiny
                dataset: wdbc
                head: [softmax, relu]
                folds: 2
                epochs: 2
                batch: 64
                scale: true
                data-dir: %s
                """.formatted(CliRuns.wdbcDataDir().toAbsolutePath()));
        study = tmp.resolve("study");
        run = CliRuns.runPrinting("study", "run", file.toString(), "--out", study.toString(), "--devices", "java,java-parallel/1");
        try (var list = Files.list(study.resolve("cells"))) {
            cells = list.sorted().toList();
        }
    }

    @Test
    void theLocalExecutorRunsEachCellInItsOwnJvmAndMerges() throws IOException {
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("study tiny: 2 cell(s), 2 to run"), run.err());
        assertEquals(2, cells.size(), cells.toString());
        for (Path cell : cells) {
            assertTrue(Files.isRegularFile(cell.resolve("run.json")) && Files.isRegularFile(cell.resolve("result.csv")), cell.toString());
            String log = Files.readString(cell.resolve("cell.log"));
            assertTrue(log.contains("test acc") && log.contains(cell.toString()), "the cell JVM's output in cell.log: " + log);
        }
        // each worker's placement reached the cell it ran (which worker got which cell is up to the queue)
        List<String> engines = cells.stream().map(c -> engineOf(c)).sorted().toList();
        assertEquals(List.of("java", "java-parallel"), engines);
        String table = Files.readString(study.resolve("table.md"));
        assertEquals(table, run.out(), "study run prints the merged table");
        assertTrue(table.contains("| wdbc | ffnn | softmax | 1/1 |") && table.contains("| wdbc | ffnn | relu | 1/1 |"), table);

        CliRuns.Printed again = CliRuns.runPrinting("study", "run", tmp.resolve("study.yaml").toString(), "--out", study.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("2 cell(s), 0 to run"), "finished cells are kept: " + again.err());
    }

    @Test
    void aFailingCellIsCountedAndItsStatusSaysWhy() throws IOException {
        Path file = tmp.resolve("broken.yaml");
        Files.writeString(file, "name: broken\ndataset: wdbc\nepochs: 1\ndata-dir: " + tmp.resolve("no-data") + "\n");
        Path broken = tmp.resolve("broken");
        CliRuns.Printed r = CliRuns.runPrinting("study", "run", file.toString(), "--out", broken.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("1 cell(s) failed"), r.err());
        CliRuns.Printed status = CliRuns.runPrinting("study", "status", broken.toString());
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().startsWith("failed ") && status.out().contains("MissingDataException: data set 'wdbc' not found"),
                "the status says why: " + status.out());
    }

    @Test
    void statusListsEachCellAndCountsThem() {
        CliRuns.Printed status = CliRuns.runPrinting("study", "status", study.toString());
        assertEquals(0, status.code(), status.err());
        List<String> lines = status.out().lines().toList();
        assertEquals(3, lines.size(), status.out());
        for (Path cell : cells) {
            assertTrue(lines.contains("done     " + cell.getFileName()), status.out());
        }
        assertEquals("2 done, 0 running, 0 stale, 0 failed, 0 pending", lines.get(2));
    }

    @Test
    void mergeRewritesTheTableAndTheCsv() throws IOException {
        String table = Files.readString(study.resolve("table.md"));
        Files.delete(study.resolve("table.md"));
        Files.delete(study.resolve("study.csv"));
        CliRuns.Printed merge = CliRuns.runPrinting("study", "merge", study.toString());
        assertEquals(0, merge.code(), merge.err());
        assertEquals(table, merge.out());
        assertEquals(table, Files.readString(study.resolve("table.md")));
        List<String> csv = Files.readAllLines(study.resolve("study.csv"));
        assertEquals(3, csv.size(), "a header and a row per cell: " + csv);
        for (Path cell : cells) {
            assertTrue(csv.stream().anyMatch(l -> l.startsWith(cell.getFileName() + ",done,")), csv.toString());
        }
    }

    @Test
    void tablePutsTheCellsBesideThePaper() throws IOException {
        CliRuns.Printed printed = CliRuns.runPrinting("table", cells.get(0).toString(), cells.get(1).toString());
        assertEquals(0, printed.code(), printed.err());
        List<String> rows = printed.out().lines().filter(l -> l.startsWith("| WDBC") || l.startsWith("| wdbc")).toList();
        assertEquals(2, rows.size(), printed.out());
        Path out = tmp.resolve("table.md");
        assertEquals(0, CliRuns.runPrinting("table", cells.get(0).toString(), cells.get(1).toString(), "--out", out.toString()).code());
        assertEquals(printed.out(), Files.readString(out));
        CliRuns.Printed missing = CliRuns.runPrinting("table", tmp.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains(tmp + ": no result.csv"), missing.err());
    }

    /**
     * Runs given as rounds (the same devices in the same order each round): each run is set against its own round's first
     * run, and the table has one row a device with the median and range over the rounds; a count that does not divide fails.
     */
    @Test
    void compareOverRoundsSetsEachRunAgainstItsRoundsFirst() throws IOException {
        Path out = tmp.resolve("rounds");
        String a = cells.get(0).toString(), b = cells.get(1).toString();
        CliRuns.Printed r = CliRuns.runPrinting("compare", a, b, b, a, "--rounds", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(Path.of(out + ".csv"));
        assertEquals(5, csv.size(), csv.toString());
        double ab = relutornado.report.RunSummary.read(cells.get(0)).meanEpochSeconds()
                / relutornado.report.RunSummary.read(cells.get(1)).meanEpochSeconds();
        double[] speedups = csv.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[4])).toArray();
        // round 1 is (a, b), round 2 (b, a): each against its round's first (the CSV's speed-ups rounded to 4 places)
        double[] want = {1, ab, 1, 1 / ab};
        for (int i = 0; i < 4; i++) {
            assertEquals(want[i], speedups[i], 1e-3 * want[i], csv.toString());
        }
        assertEquals(List.of("1", "1", "2", "2"), csv.stream().skip(1).map(l -> l.substring(l.lastIndexOf(',') + 1)).toList());
        String md = Files.readString(Path.of(out + ".md"));
        String lo = String.format(java.util.Locale.ROOT, "%.2f×", Math.min(ab, 1 / ab));
        String hi = String.format(java.util.Locale.ROOT, "%.2f×", Math.max(ab, 1 / ab));
        assertTrue(md.contains("| 2 |") && md.contains("[1.00× – 1.00×]") && md.contains("[" + lo + " – " + hi + "]"), md);
        CliRuns.Printed odd = CliRuns.runPrinting("compare", a, b, a, "--rounds", "2", "--out", out.toString());
        assertEquals(2, odd.code());
        assertTrue(odd.err().contains("--rounds must be >= 1 and divide the 3 run folders, got 2"), odd.err());
    }

    @Test
    void compareWritesOneRowPerRunAgainstTheFirst() throws IOException {
        Path out = tmp.resolve("cmp");
        CliRuns.Printed r = CliRuns.runPrinting("compare", cells.get(0).toString(), cells.get(1).toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(Path.of(out + ".csv"));
        assertEquals("engine,device_kernels,first_epoch_s,mean_epoch_s,speedup_vs_first_row,kernel_s,copy_in_s,copy_out_s,compile_s,test_acc,step_share,round",
                csv.get(0));
        assertEquals(3, csv.size(), csv.toString());
        for (int i = 0; i < 2; i++) {
            String[] row = csv.get(1 + i).split(",", -1);
            assertEquals(engineOf(cells.get(i)), row[0]);
            assertEquals(testAccuracyOf(cells.get(i)), Double.parseDouble(row[9]), 1e-4, csv.get(1 + i));
            assertEquals("", row[5], "no profiler figures on the JVM engines: " + csv.get(1 + i));
        }
        assertEquals(1.0, Double.parseDouble(csv.get(1).split(",")[4]), 1e-12, "the first row against itself");
        String md = Files.readString(Path.of(out + ".md"));
        assertTrue(md.contains("speed-up vs " + engineOf(cells.get(0))) && md.contains("| 1.00× |"), md);
    }

    /** A run folder's engine, from its result.csv. */
    private static String engineOf(Path run) {
        return column(run, "engine");
    }

    private static double testAccuracyOf(Path run) {
        return Double.parseDouble(column(run, "test_acc"));
    }

    private static String column(Path run, String name) {
        try {
            List<String> csv = Files.readAllLines(run.resolve("result.csv"));
            int i = List.of(csv.get(0).split(",", -1)).indexOf(name);
            assertTrue(i >= 0, "result.csv has no column " + name + ": " + csv.get(0));
            return csv.get(1).split(",", -1)[i];
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
