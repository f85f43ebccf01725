package relutornado.engine.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.check.DeviceCheck;
import relutornado.engine.KernelCases;
import relutornado.check.Tuner;
import relutornado.engine.DeviceKernels;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.engine.JavaEngine;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Variant;
import relutornado.engine.Program;
import relutornado.engine.tuning.Candidates;
import relutornado.engine.tuning.TunedKernels;
import relutornado.engine.tuning.TuningFile;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.kernels.Dense;

/**
 * The device families on the device against the JVM: the local-memory and scalar tiles families (every value of each
 * tuning parameter) and the vector family (every rows × width), on the device-check cases (odd shapes, batch 1,
 * sub-ranges); and the tuner's file read back by {@code --device-kernels tuned}.
 */
class TunedKernelsOnDeviceTest {
    static final String DEVICE = System.getProperty("relutornado.device", "0:0");
    static Engine plain;

    @BeforeAll
    static void start() {
        assumeTrue(Engines.tornadoAvailable(), "no TornadoVM runtime in this JVM (run with the SDK's tornado-argfile)");
        plain = Engines.create(new EngineOptions("tornado", DEVICE, 1, false, "vector", DeviceKernels.PLAIN));
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
    }

    /** Each value of tile (wpt at its default) and of wpt (tile at its default): one program of every product case per setting. */
    @Test
    void everyLocalParameterValueMatchesTheJvmOnTheCheckCases() {
        Variant any = KernelVariants.variant(KernelVariants.products().get(0), Family.LOCAL).orElseThrow();
        List<Map<String, Integer>> settings = new ArrayList<>();
        for (KernelVariants.Tunable t : any.tuning()) {
            for (int value : t.values()) {
                Map<String, Integer> p = new LinkedHashMap<>(any.defaults());
                p.put(t.name(), value);
                if (!settings.contains(p)) {
                    settings.add(p);
                }
            }
        }
        assertEquals(List.of(), mismatches(Family.LOCAL, settings, 15));
    }

    /** Every register tile of the scalar tiles family (tile0 × tile1 in {2,4,8}²) on every product case. */
    @Test
    void everyTilesParameterValueMatchesTheJvmOnTheCheckCases() {
        Variant any = KernelVariants.variant(KernelVariants.products().get(0), Family.TILES).orElseThrow();
        List<Map<String, Integer>> settings = Candidates.combinations(any.tuning());
        assertEquals(9, settings.size());
        assertEquals(List.of(), mismatches(Family.TILES, settings, 15));
    }

    /** Every rows × width of the vector GEMM: one program per setting of the product cases its tile fits (odd shapes, sub-ranges). */
    @Test
    void everyVectorTileMatchesTheJvmOnTheCheckCases() {
        Variant any = KernelVariants.variant(KernelVariants.products().get(0), Family.VECTOR).orElseThrow();
        assertEquals(List.of(), mismatches(Family.VECTOR, Candidates.combinations(any.tuning()), 3));
    }

    /**
     * Per setting, every product case of the family that the setting fits, run on the device as one program against the
     * JVM's plain kernels; the cases each setting ran must number at least {@code minCases}. Returns the mismatches.
     */
    static List<String> mismatches(Family family, List<Map<String, Integer>> settings, int minCases) {
        List<String> wrong = new ArrayList<>();
        for (Map<String, Integer> p : settings) {
            List<KernelCases.Case> cases = KernelCases.all().stream().filter(c -> {
                KernelCall call = c.make().apply(new Random(1));
                Variant v = KernelVariants.variant(call.method(), family).orElse(null);
                return v != null && v.fits().fits(KernelVariants.product(call).orElse(null), p) && KernelVariants.product(call).isPresent();
            }).toList();
            assertTrue(cases.size() >= minCases, family.flag() + " " + p + " product cases: " + cases);
            Program program = new Program(family.flag() + "_" + String.join("_", p.values().stream().map(String::valueOf).toList()));
            List<KernelCall> jvm = new ArrayList<>();
            List<KernelCall> dev = new ArrayList<>();
            List<KernelCall> expanded = new ArrayList<>();
            int i = 0;
            for (KernelCases.Case c : cases) {
                KernelCall want = c.make().apply(new Random(42));
                KernelCall got = c.make().apply(new Random(42));
                got = new KernelCall("c" + i++, got.method(), got.args());
                try (Engine.Session js = new JavaEngine().open(DeviceCheck.single(want))) {
                    js.run("run");
                    js.syncState();
                }
                for (Object a : got.args()) {
                    if (a instanceof float[] || a instanceof int[]) {
                        if (program.buffer(a) == null) {
                            program.buffer("a" + program.buffers().size(), a, Program.Role.STATE);
                        }
                    }
                }
                jvm.add(want);
                dev.add(got);
                expanded.addAll(TornadoEngine.candidateCalls(got, new Candidate(family.flag(), p, null)));
            }
            // the expansion's scratch (patch matrices, transposed gradients): device-only work buffers
            for (KernelCall e : expanded) {
                for (Object a : e.args()) {
                    if (a instanceof float[] && program.buffer(a) == null) {
                        program.buffer("w" + program.buffers().size(), a, Program.Role.WORK);
                    }
                }
            }
            program.phase("run", expanded);
            try (Engine.Session s = plain.open(program)) {
                s.run("run");
                s.syncState();
            }
            for (int k = 0; k < cases.size(); k++) {
                double err = DeviceCheck.maxError(jvm.get(k).args(), dev.get(k).args());
                System.out.printf("%s %s %-40s max error %.2e (tolerance %.0e)%n", family.flag(), p, cases.get(k).name(), err, Tuner.TOLERANCE);
                if (!(err <= Tuner.TOLERANCE)) {
                    wrong.add(p + " " + cases.get(k).name() + ": " + err);
                }
            }
        }
        return wrong;
    }

    /** A short tune writes a file for this device; tuned kernels read it back and record where each choice came from. */
    @Test
    void aTunedFileIsReadBackAndRecorded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json");
        TuningFile t = Tuner.run(new Tuner.Options(DEVICE, file, List.of("ffnn"), 0.2, 0.05), System.out);
        assertTrue(Files.exists(file));
        assertFalse(t.shapes().isEmpty(), "the first shapes are tuned within the budget");
        TuningFile.Shape first = t.shapes().get(0);
        assertNotNull(first.plainGflops(), "the plain kernel is measured first");
        assertEquals("Dense.forward", first.kernel());
        KernelCall call = KernelCall.of("fwd", Dense.class, "forward", new float[256 * 512], new float[256 * 256],
                new float[256 * 512 + 512], 0, 256 * 512, 256, 512, 0, 256);
        assertEquals(first.product(), KernelVariants.product(call).orElseThrow());
        try (Engine e = Engines.create(new EngineOptions("tornado", DEVICE, 1, false, "vector", DeviceKernels.TUNED, file))) {
            e.open(DeviceCheck.single(call)).close();
            TunedKernels.Record r = e.kernelChoices();
            assertEquals(file.toString(), r.tuningFile());
            assertEquals(TuningFile.sha256(file), r.sha256());
            TunedKernels.Choice c = r.choices().get(0);
            assertEquals(first.winner(), c.candidate());
            assertTrue(c.source().startsWith("tuning file"), c.source());
        }
    }
}
