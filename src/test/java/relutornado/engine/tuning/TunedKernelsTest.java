package relutornado.engine.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.kernels.Dense;
import relutornado.kernels.Loss;

/** --device-kernels tuned: the file's winners where it has the shape, the default rule elsewhere, each choice with its source. */
class TunedKernelsTest {
    static final int N = 32;

    /** Dense.forward of N rows, C → OC. */
    static KernelCall dense(int C, int OC) {
        return KernelCall.of("d", Dense.class, "forward", new float[N * OC], new float[N * C], new float[C * OC + OC], 0, C * OC, C, OC, 0, N);
    }

    @Test
    void withoutAFileTheDefaultRuleRunsAndIsSaidOnce(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TunedKernels t = TunedKernels.load(null, dir, TuningFileTest.POCL, TunedKernels.defaultFamily(true), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("vector", t.choose(dense(64, 32)).candidate().family());
        assertEquals("vector", t.choose(dense(64, 32)).candidate().family());
        // the 10-class layer does not fit the vector tile: scalar tiles
        TunedKernels.Choice small = t.choose(dense(64, 10));
        assertEquals("tiles", small.candidate().family());
        assertEquals(Map.of("tile0", 4, "tile1", 4), small.candidate().params());
        assertTrue(small.source().startsWith("default rule (no tuning file)"), small.source());
        t.choose(KernelCall.of("l", Loss.class, "softmaxBackward", new float[1], new float[1], new int[1], new int[1], 1, 0, 1));
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains("no tuning file for device") && said.contains(TuningFile.defaultPath(dir, TuningFileTest.POCL).toString()), said);
        TunedKernels.Record r = t.record();
        assertNull(r.tuningFile());
        assertNull(r.sha256());
        assertEquals(List.of("Dense.forward 32x32x64", "Dense.forward 32x10x64"), r.choices().stream().map(c -> c.kernel() + " " + c.product()).toList(),
                "one choice per kernel and product; kernels without device variants are not recorded");
        assertEquals("tiles", TunedKernels.load(null, dir, TuningFileTest.GPU, TunedKernels.defaultFamily(false), new PrintStream(new ByteArrayOutputStream()))
                .choose(dense(64, 32)).candidate().family(), "GPUs: tiles by default");
    }

    @Test
    void theDevicesFileChoosesWhereItHasTheShape(@TempDir Path dir) throws IOException {
        Path f = TuningFile.defaultPath(dir, TuningFileTest.POCL);
        TuningFileTest.file(TuningFileTest.POCL, TuningFileTest.shape("Dense.forward", new Product(N, 32, 64), 20)).writeMerged(f);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TunedKernels t = TunedKernels.load(null, dir, TuningFileTest.POCL, Family.VECTOR, new PrintStream(err, true, StandardCharsets.UTF_8));
        TunedKernels.Choice c = t.choose(dense(64, 32));
        assertEquals("tiles", c.candidate().family());
        assertEquals(List.of(16, 16), c.candidate().local());
        assertEquals("tuning file " + f, c.source());
        TunedKernels.Choice other = t.choose(dense(128, 32));
        assertEquals("vector", other.candidate().family());
        assertTrue(other.source().contains("has no entry for this shape"), other.source());
        assertEquals("", err.toString(StandardCharsets.UTF_8), "a file for the device is not announced");
        assertEquals(f.toString(), t.record().tuningFile());
        assertEquals(TuningFile.sha256(f), t.record().sha256());
        assertEquals(2, t.record().choices().size());
    }

    /** A vector winner written before vecs existed runs with vecs 1, the tile it was measured with. */
    @Test
    void aWinnerWithoutANewerParameterRunsItsDefault(@TempDir Path dir) throws IOException {
        Path f = TuningFile.defaultPath(dir, TuningFileTest.POCL);
        Candidate old = new Candidate("vector", Map.of("rows", 8, "width", 16), null);
        TuningFileTest.file(TuningFileTest.POCL, TuningFile.Shape.of("Dense.forward", new Product(N, 32, 64),
                List.of(new TuningFile.Tried(Candidate.plain(), 3.0, null), new TuningFile.Tried(old, 40.0, null)))).writeMerged(f);
        TunedKernels t = TunedKernels.load(null, dir, TuningFileTest.POCL, Family.VECTOR, new PrintStream(new ByteArrayOutputStream()));
        TunedKernels.Choice c = t.choose(dense(64, 32));
        assertEquals("tuning file " + f, c.source());
        assertEquals(Map.of("rows", 8, "width", 16, "vecs", 1), c.candidate().params());
    }

    @Test
    void anExplicitFileMustExistAndBeThisDevices(@TempDir Path dir) throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        var missing = assertThrows(IllegalArgumentException.class, () -> TunedKernels.load(dir.resolve("t.json"), dir, TuningFileTest.POCL, Family.VECTOR, quiet));
        assertTrue(missing.getMessage().contains("t.json"), missing.getMessage());
        Path gpu = dir.resolve("gpu.json");
        TuningFileTest.file(TuningFileTest.GPU).writeMerged(gpu);
        var foreign = assertThrows(IllegalArgumentException.class, () -> TunedKernels.load(gpu, dir, TuningFileTest.POCL, Family.VECTOR, quiet));
        assertTrue(foreign.getMessage().contains("gpu.json"), foreign.getMessage());
    }
}
