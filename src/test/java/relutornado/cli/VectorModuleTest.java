package relutornado.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * java-parallel in a JVM started without {@code --add-modules jdk.incubator.vector}: the plain kernels run (they need no
 * Vector API), the vector kernels (the default) stop with exit code 2 and a line naming the JVM flag.
 */
class VectorModuleTest {
    @TempDir
    Path tmp;

    @Test
    void plainKernelsRunWithoutTheVectorModule() throws Exception {
        Run r = trainWithoutVectorModule("--cpu-kernels", "plain");
        assertEquals(0, r.code(), r.output());
        assertTrue(Files.isRegularFile(tmp.resolve("o/run.json")), r.output());
    }

    @Test
    void vectorKernelsWithoutTheModuleNameTheJvmFlag() throws Exception {
        Run r = trainWithoutVectorModule("--cpu-kernels", "vector");
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("--add-modules jdk.incubator.vector") && r.output().contains("--cpu-kernels plain"), r.output());
    }

    record Run(int code, String output) {
    }

    /** {@code train} on one epoch of WDBC in a fresh JVM with this test's class path and no JVM flags at all. */
    private Run trainWithoutVectorModule(String... flags) throws IOException, InterruptedException {
        Path data = CliRuns.wdbcDataDir();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "train", "--dataset", "wdbc", "--engine", "java-parallel",
                "--threads", "2", "--folds", "1", "--epochs", "1", "--data-dir", data.toAbsolutePath().toString(), "--out",
                tmp.resolve("o").toString()));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "train did not finish: " + String.join(" ", cmd));
        String out = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        assertTrue(!out.contains("WARNING: Using incubator modules"), "the JVM had the module after all: " + out);
        return new Run(p.exitValue(), out + "\n(command: " + String.join(" ", cmd).replace(File.pathSeparator, " ") + ")");
    }
}
