package relutornado.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import relutornado.cli.StudyFlags;

/** Grid expansion, exclusions, cell ids and the refusals of bad study files. */
class StudyTest {
    /** The real train flags, so that a renamed or removed flag shows here. */
    static final Study.Flags FLAGS = StudyFlags.train();

    @TempDir
    Path tmp;

    Study read(String yaml) throws IOException {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, yaml);
        return Study.read(f, FLAGS);
    }

    @Test
    void gridIsTheProductOfTheAxesInFileOrderMinusExclusions() throws IOException {
        Study s = read("""
                name: t
                dataset: [mnist, wdbc]
                model: [ffnn, cnn]
                head: [softmax, relu]
                seed: [1, 2]
                folds: 10
                scale: true
                exclude:
                  - {dataset: wdbc, model: cnn}
                """);
        List<Study.Cell> cells = s.cells(c -> { });
        assertEquals(16 - 4, cells.size());
        // the last axis varies fastest
        assertEquals(Map.of("dataset", "mnist", "model", "ffnn", "head", "softmax", "seed", "1", "folds", "10", "scale", "true"),
                cells.get(0).settings());
        assertEquals("2", cells.get(1).settings().get("seed"));
        assertTrue(cells.stream().noneMatch(c -> c.settings().get("dataset").equals("wdbc") && c.settings().get("model").equals("cnn")));
        assertEquals(List.of("--dataset", "mnist", "--model", "ffnn", "--head", "softmax", "--seed", "1", "--folds", "10", "--scale"),
                cells.get(0).args(FLAGS.switches()));
        assertEquals(List.of("dataset", "model", "head", "seed"), List.copyOf(s.axes()));
    }

    @Test
    void cellIdsAreStableReadableAndChangeWithResultSettingsOnly() throws IOException {
        Study a = read("dataset: wdbc\nhead: [softmax, relu]\nseed: [1, 2]\nepochs: 5\n");
        List<Study.Cell> ca = a.cells(c -> { });
        assertTrue(ca.get(0).id().matches("softmax-seed1-[0-9a-f]{8}"), ca.get(0).id());
        // the same settings in another order, another study, with a data folder and checkpoint cadence: the same ids
        Study b = read("name: other\nseed: [2, 1]\nepochs: 5\nhead: [relu, softmax]\ndataset: wdbc\ndata-dir: /x\ncheckpoint-every: 3\n");
        Set<String> idsA = Set.copyOf(ca.stream().map(Study.Cell::id).map(i -> i.substring(i.lastIndexOf('-'))).toList());
        Set<String> idsB = Set.copyOf(b.cells(c -> { }).stream().map(Study.Cell::id).map(i -> i.substring(i.lastIndexOf('-'))).toList());
        assertEquals(idsA, idsB);
        Study c = read("dataset: wdbc\nhead: [softmax, relu]\nseed: [1, 2]\nepochs: 6\n");
        assertNotEquals(ca.get(0).id(), c.cells(x -> { }).get(0).id(), "another epoch count is another cell");
        assertEquals(ca.get(0).id(), read("dataset: wdbc\nhead: [softmax, relu]\nseed: [1, 2]\nepochs: 5\n").cells(x -> { }).get(0).id());
        assertTrue(read("dataset: wdbc\nscale: [false, true]\n").cells(x -> { }).get(0).id().startsWith("noscale-"));
    }

    @Test
    void setReplacesOrAddsKeysAndMakesAxes() throws IOException {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, "dataset: wdbc\nhead: [softmax, relu]\nseed: 10\n");
        Study s = Study.read(f, FLAGS, Map.of("seed", "[1, 2, 3]", "epochs", "5"));
        assertEquals(List.of("head", "seed"), List.copyOf(s.axes()));
        assertEquals(6, s.cells(c -> { }).size());
        assertEquals("5", s.cells(c -> { }).get(0).settings().get("epochs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Study.read(f, FLAGS, Map.of("sed", "1"))).getMessage()
                .contains("unknown key 'sed'"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "dataset: wdbc\\nheads: [relu]|unknown key 'heads'",
        "dataset: wdbc\\n--seed: 1|write flags without the dashes",
        "dataset: wdbc\\nout: x|key 'out' is set by the study runner",
        "dataset: wdbc\\nseed: []|key 'seed' is an empty list",
        "dataset: wdbc\\nseed: [1, 1]|key 'seed' repeats a value",
        "dataset: wdbc\\nscale: maybe|key 'scale' is a switch",
        "dataset: wdbc\\nseed:|key 'seed' needs a value",
        "dataset: wdbc\\nexclude: [{seeds: 1}]|exclude: key 'seeds' is not a key",
        "dataset: wdbc\\nslurm: {queue: x}|unknown key 'slurm.queue'",
        "dataset: [wdbc\\n|not valid YAML",
        "- 1\\n- 2|expected a mapping",
        "dataset: wdbc\\ndataset: mnist|not valid YAML",
    })
    void badFilesAreRefusedNamingTheKey(String yaml, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(yaml.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("study file "), "names the file: " + e.getMessage());
    }

    @Test
    void anEmptyGridAndARefusedValueAreErrorsBeforeAnythingRuns() throws IOException {
        Study s = read("dataset: wdbc\nhead: [relu]\nexclude:\n  - {head: relu}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.cells(c -> { })).getMessage().contains("the grid is empty"));
        Study t = read("dataset: wdbc\nfolds: [3, 0]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.cells(c -> {
            if (c.settings().get("folds").equals("0")) {
                throw new IllegalArgumentException("--folds must be in 1..100, got 0");
            }
        }));
        assertTrue(e.getMessage().contains("--folds must be in 1..100") && e.getMessage().contains("folds0-"), e.getMessage());
    }

    /**
     * results/paper comes from scripts/studies/paper-seeds.yaml; each of its cells must be the cell that paper.yaml gives
     * for the same dataset, model, head and seed (same settings, same id hash), so one committed cell re-runs from
     * paper.yaml as docs/results.md says. FFNN rows over seeds 1-5, CNN rows over 1-3, WDBC without a CNN.
     */
    @Test
    void thePaperSeedsStudyIsPaperYamlsCellsOverSeeds() {
        Path studies = Files.isDirectory(Path.of("scripts/studies")) ? Path.of("scripts/studies") : Path.of("../scripts/studies");
        List<Study.Cell> seeds = Study.read(studies.resolve("paper-seeds.yaml"), FLAGS).cells(c -> { });
        assertEquals(3 * 2 * 5 + 2 * 2 * 3, seeds.size(), "FFNN: 3 data sets x 2 heads x 5 seeds; CNN: 2 x 2 x 3");
        for (Study.Cell c : seeds) {
            Map<String, String> s = c.settings();
            List<Study.Cell> one = Study.read(studies.resolve("paper.yaml"), FLAGS, Map.of("dataset", s.get("dataset"), "model", s.get("model"),
                    "head", s.get("head"), "seed", s.get("seed"))).cells(x -> { });
            assertEquals(1, one.size(), c.id());
            assertEquals(s, one.get(0).settings(), c.id());
            assertEquals(hash(c.id()), hash(one.get(0).id()), c.id() + " vs " + one.get(0).id());
        }
    }

    /** A cell id's settings hash: after its label's last '-', or the whole id of a study without axes. */
    private static String hash(String id) {
        return id.substring(id.lastIndexOf('-') + 1);
    }
}
