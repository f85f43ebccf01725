package relutornado.engine.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.engine.KernelCases;
import relutornado.engine.Engines;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.Launch;
import relutornado.engine.tornado.OclgrindCheck.Target;
import relutornado.engine.tuning.TuningFile.Candidate;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * scripts/oclgrind-check.sh's Java part: every registered family with its default tuning values is clean under Oclgrind,
 * and the check catches the two faults PoCL runs happily: an edge tile one too wide and a missing barrier.
 */
class OclgrindCheckTest {
    static TornadoDevice device;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Engines.tornadoAvailable(), "no TornadoVM runtime in this JVM (run with the SDK's tornado-argfile)");
        Process p = new ProcessBuilder("sh", "-c", "command -v oclgrind-kernel").start();
        assumeTrue(p.waitFor() == 0, "oclgrind-kernel is not installed (scripts/oclgrind-check.sh installs Debian's oclgrind)");
        device = OclgrindCheck.device(System.getProperty("relutornado.device", "0:0"));
    }

    /** Dense.forward on the device-check's odd shape: 13 rows, 37 inputs, 19 outputs. */
    static KernelCall denseForward() {
        return KernelCases.all().stream().filter(c -> c.name().equals("Dense.forward")).findFirst().orElseThrow().make().apply(new Random(1));
    }

    @Test
    void everyRegisteredFamilyIsClean(@TempDir Path dir) throws Exception {
        List<Target> targets = OclgrindCheck.registered(false);
        for (Family f : OclgrindCheck.FAMILIES) {
            assertTrue(targets.stream().anyMatch(t -> t.label().startsWith(f.flag() + " ")), "no " + f.flag() + " kernel among " + targets.size());
        }
        assertEquals(5, targets.stream().filter(t -> t.label().startsWith("fused ")).count(), "the five fused kernels");
        assertEquals(1, targets.stream().filter(t -> t.label().startsWith("merged packs")).count(), "the merged packs");
        assertEquals(List.of(), OclgrindCheck.check(device, targets, dir, System.out));
    }

    @Test
    void anEdgeTileOneTooWideIsAnInvalidAccess(@TempDir Path dir) throws Exception {
        KernelCall right = tiles(denseForward(), 0);
        KernelCall tooWide = tiles(denseForward(), 1);
        assertEquals(List.of(), OclgrindCheck.check(device, List.of(new Target("2-row tiles", right)), dir.resolve("right"), System.out));
        List<String> found = OclgrindCheck.check(device, List.of(new Target("2-row tiles, edge one too wide", tooWide)), dir.resolve("wide"), System.out);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("Invalid read") && found.get(0).contains("Invalid write"), found.get(0));
    }

    @Test
    void aMissingBarrierInTheLocalFamilyIsADataRace(@TempDir Path dir) throws Exception {
        KernelVariants.Variant local = KernelVariants.variant(denseForward().method(), Family.LOCAL).orElseThrow();
        List<KernelCall> calls = TornadoEngine.candidateCalls(denseForward(), new Candidate(Family.LOCAL.flag(), local.defaults(), null));
        assertEquals(1, calls.size());
        KernelCall noBarrier = calls.get(0).withKernel(method("gemmWithoutSecondBarrier"), calls.get(0).launch());
        List<String> found = OclgrindCheck.check(device, List.of(new Target("local without its second barrier", noBarrier)), dir, System.out);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("data race"), found.get(0));
    }

    /** Dense.forward's call on {@link SeededFaults#denseForwardTiles}, its edge tile one row too wide or not. */
    static KernelCall tiles(KernelCall call, int tooWide) {
        Object[] a = call.args();
        Object[] args = new Object[a.length + 1];
        System.arraycopy(a, 0, args, 0, a.length - 2);
        args[a.length - 2] = tooWide;
        args[a.length - 1] = a[a.length - 2];
        args[a.length] = a[a.length - 1];
        return new KernelCall(call.name(), method("denseForwardTiles"), args, Launch.of(19, (13 + 1) / 2));
    }

    static Method method(String name) {
        return java.util.Arrays.stream(SeededFaults.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }
}
