package relutornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages form layers: a package uses only packages below it (or itself). Reads every source file's code
 * (comments and string literals left out) for {@code relutornado.X} references, imports and fully qualified names alike.
 */
class LayeringTest {
    /** Lowest first. A sub-package (engine.tornado) belongs to its top package's layer. */
    static final List<String> LAYERS = List.of(
            "kernels",    // tornado-kernels: the kernels, host-free
            "io",         // atomic file writes
            "cv",         // folds, the CV protocol
            "metrics",    // confusion matrix, classification report, statistics
            "data",       // readers of WDBC and the IDX files
            "engine",     // the engine seam and its implementations (engine.tornado in src/tornado)
            "preprocess", // scaler, PCA, the input choice
            "model",      // layers, parameter layout, network
            "report",     // run.json and every view of it
            "train",      // the experiment: folds, epochs, checkpoints
            "check",      // device-check's measurements and report
            "study",      // grids of runs
            "cli",        // the commands
            "bench");     // JMH benchmarks (bench module)

    /** The source roots of the host and kernel modules, relative to the src module (the tests' working folder). */
    static final List<Path> ROOTS = List.of(Path.of("main/java"), Path.of("tornado/java"), Path.of("../tornado-kernels/src/main/java"),
            Path.of("../bench/src/main/java"));

    /** Text blocks, strings, chars and comments: what is not code (a class name in a string is a process argument). */
    private static final Pattern NOT_CODE = Pattern.compile(
            "\"\"\"[\\s\\S]*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'|/\\*[\\s\\S]*?\\*/|//[^\\n]*");
    private static final Pattern PACKAGE = Pattern.compile("^package relutornado\\.([a-z]+)", Pattern.MULTILINE);
    private static final Pattern USE = Pattern.compile("\\brelutornado\\.([a-z]+)\\b");

    /** Each "file: uses" line where a file references a package of a higher layer. */
    static List<String> upwardUses(Path root, String code, Path file) {
        String bare = NOT_CODE.matcher(code).replaceAll(" ");
        Matcher p = PACKAGE.matcher(bare);
        if (!p.find()) {
            return List.of(root.relativize(file) + ": no relutornado package");
        }
        String own = p.group(1);
        List<String> bad = new ArrayList<>();
        int level = LAYERS.indexOf(own);
        if (level < 0) {
            return List.of(root.relativize(file) + ": package " + own + " has no layer in LayeringTest.LAYERS");
        }
        TreeSet<String> used = new TreeSet<>();
        Matcher m = USE.matcher(bare.substring(p.end()));
        while (m.find()) {
            used.add(m.group(1));
        }
        for (String u : used) {
            int l = LAYERS.indexOf(u);
            if (l < 0 || l > level) {
                bad.add(root.relativize(file) + ": " + own + " uses " + u + (l < 0 ? " (no layer)" : " (a higher layer)"));
            }
        }
        return bad;
    }

    @Test
    void noPackageUsesAHigherOne() throws IOException {
        List<String> bad = new ArrayList<>();
        int files = 0;
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path f : s.filter(x -> x.toString().endsWith(".java")).sorted().toList()) {
                    bad.addAll(upwardUses(root, Files.readString(f), f));
                    files++;
                }
            }
        }
        assertTrue(files > 100, "the test reads the sources from the src module's folder; found " + files + " files");
        assertEquals(List.of(), bad, "a package may use only packages below it in LayeringTest.LAYERS");
    }

    @Test
    void findsUpwardImportsAndQualifiedNamesButNotComments() {
        Path root = Path.of("main/java");
        Path f = root.resolve("relutornado/report/X.java");
        assertEquals(List.of("relutornado/report/X.java: report uses train (a higher layer)"),
                upwardUses(root, "package relutornado.report;\nimport relutornado.train.Protocol;\nclass X {}", f));
        assertEquals(1, upwardUses(root, "package relutornado.report;\nclass X { Object o = relutornado.cli.Main.class; }", f).size());
        assertEquals(List.of(), upwardUses(root, "package relutornado.report;\nimport relutornado.model.Head;\n"
                + "/** {@link relutornado.cli.Main} */ class X { String s = \"relutornado.cli.Main\"; } // relutornado.study", f));
    }
}
