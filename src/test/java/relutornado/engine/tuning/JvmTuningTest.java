package relutornado.engine.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.engine.tuning.TuningFile.Device;
import relutornado.engine.tuning.TuningFile.Overall;
import relutornado.engine.tuning.TuningFile.Shape;
import relutornado.engine.tuning.TuningFile.Tried;
import relutornado.kernels.CpuGemm;

/** java-parallel's GEMM tile: candidates, its tuning file, and the errors of a file that cannot apply. */
class JvmTuningTest {
    static final CpuTile WIDE = new CpuTile(512, 8, 2, 192);
    static final CpuTile NARROW = new CpuTile(256, 4, 2, 384);

    @Test
    void candidatesAreTheWidthRuleFirstThenWidthsRowsAndDepthBlocks() {
        List<CpuTile> avx2 = CpuTile.candidates(256);
        assertEquals(NARROW, avx2.get(0));
        assertEquals(6, avx2.size(), avx2.toString());
        assertTrue(avx2.stream().allMatch(t -> t.bits() == 256), avx2.toString());
        assertTrue(avx2.contains(new CpuTile(256, 8, 2, 192)) && avx2.contains(new CpuTile(256, 4, 2, 576)), avx2.toString());
        List<CpuTile> avx512 = CpuTile.candidates(512);
        assertEquals(WIDE, avx512.get(0));
        assertEquals(15, avx512.size(), avx512.toString());
        assertEquals(15, avx512.stream().distinct().count());
        assertTrue(avx512.containsAll(avx2) && avx512.contains(new CpuTile(512, 4, 2, 96)) && avx512.contains(new CpuTile(512, 8, 2, 288))
                && avx512.contains(new CpuTile(512, 6, 4, 256)) && avx512.contains(new CpuTile(512, 6, 4, 768)), avx512.toString());
    }

    @Test
    void aTileIsACpuCandidateAndBack() {
        Candidate c = WIDE.candidate();
        assertEquals("cpu", c.family());
        assertEquals(Map.of("bits", 512, "rows", 8, "cols", 2, "kc", 192), c.params());
        assertEquals(WIDE, CpuTile.of(c));
        assertEquals("8x2 vectors of 16 floats, depth blocks of 192", WIDE.toString());
        assertEquals(Map.of(CpuGemm.BITS_PROPERTY, "512", CpuGemm.ROWS_PROPERTY, "8", CpuGemm.COLS_PROPERTY, "2", CpuGemm.KC_PROPERTY, "192"),
                WIDE.properties());
        CpuTile six = new CpuTile(512, 6, 4, 512);
        assertEquals(Map.of("bits", 512, "rows", 6, "cols", 4, "kc", 512), six.candidate().params());
        assertEquals(six, CpuTile.of(six.candidate()));
        assertEquals("6x4 vectors of 16 floats, depth blocks of 512", six.toString());
        // a file written before tiles had cols: 2 vectors
        assertEquals(new CpuTile(512, 8, 2, 192), CpuTile.of(new Candidate("cpu", Map.of("bits", 512, "rows", 8, "kc", 192), null)));
        var e = assertThrows(IllegalArgumentException.class, () -> CpuTile.of(new Candidate("tiles", Map.of("tile0", 4, "tile1", 4), null)));
        assertTrue(e.getMessage().contains("not a java-parallel GEMM tile"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CpuTile(512, 6, 2, 192));
        assertTrue(e.getMessage().contains("rows x cols") && e.getMessage().contains("6x2"), e.getMessage());
    }

    static TuningFile jvmFile(Device d, CpuTile winner) {
        Product p = new Product(256, 256, 784);
        Shape s = Shape.of("Dense.forward", p, List.of(new Tried(winner.candidate(), 90.0, null), new Tried(NARROW.candidate(), 60.0, null),
                new Tried(new CpuTile(512, 4, 2, 96).candidate(), null, "differs from the plain kernel by 1e-3 of max(1, |value|)")));
        Overall o = new Overall(winner.candidate(), "least time", List.of(new Tried(winner.candidate(), 80.0, null), new Tried(NARROW.candidate(), 55.0, null)));
        return new TuningFile(TuningFile.FORMAT, d, "2026-12-06T20:00:00Z", List.of(s), o);
    }

    @Test
    void aJvmTuningRoundTripsAndReTuningReplacesTheOverallTile(@TempDir Path dir) throws IOException {
        Device host = JvmTuning.host();
        assertEquals(JvmTuning.VENDOR, host.vendor());
        assertTrue(host.driverVersion().startsWith("JDK ") && host.hostCpu().contains("flags:"), host.toString());
        Path f = JvmTuning.defaultPath(dir);
        assertTrue(f.getFileName().toString().startsWith("java-parallel-") && f.getParent().equals(dir), f.toString());
        TuningFile t = jvmFile(host, WIDE);
        t.writeMerged(f);
        TuningFile back = TuningFile.read(f, host);
        assertEquals(t, back);
        assertEquals(WIDE, CpuTile.of(back.overall().winner()));
        // a device file (no overall) merged into it keeps the tile; a new JVM tuning replaces it
        assertEquals(WIDE, CpuTile.of(back.merge(new TuningFile(TuningFile.FORMAT, host, "d", List.of())).overall().winner()));
        jvmFile(host, NARROW).writeMerged(f);
        assertEquals(NARROW, CpuTile.of(TuningFile.read(f, host).overall().winner()));
        assertNull(new TuningFile(TuningFile.FORMAT, host, "d", List.of()).overall());
    }

    private static String installError(Path file) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        return assertThrows(RuntimeException.class, () -> JvmTuning.install(file, file.getParent(), quiet)).getMessage();
    }

    @Test
    void aCorruptForeignOrDeviceFileIsOneErrorNamingIt(@TempDir Path dir) throws IOException {
        Path corrupt = dir.resolve("corrupt.json");
        Files.writeString(corrupt, "{\"format\": 1, \"device\": ");
        String m = installError(corrupt);
        assertTrue(m.contains(corrupt.toString()) && m.contains("not a readable tuning file"), m);

        Path foreign = dir.resolve("foreign.json");
        Device other = new Device("Some Other CPU 9000", JvmTuning.VENDOR, "JDK 21", null, null, "Some Other CPU 9000; flags: avx2");
        jvmFile(other, WIDE).writeMerged(foreign);
        m = installError(foreign);
        assertTrue(m.contains(foreign.toString()) && m.contains("Some Other CPU 9000"), m);

        Path device = dir.resolve("device.json");
        new TuningFile(TuningFile.FORMAT, JvmTuning.host(), "d", List.of()).writeMerged(device);
        m = installError(device);
        assertTrue(m.contains(device.toString()) && m.contains("no overall GEMM tile"), m);

        assertTrue(installError(dir.resolve("missing.json")).contains("does not exist"));
    }

    /** CpuGemm loaded with one tile (this JVM's width rule) and a file asking for another: an error, not the wrong tile. */
    @Test
    void aFileForAnotherTileThanTheLoadedOneIsAnError(@TempDir Path dir) throws IOException {
        CpuTile running = CpuTile.inUse();
        CpuTile other = new CpuTile(running.bits(), running.rows() == 8 ? 4 : 8, 2, running.kc());
        Path f = dir.resolve("t.json");
        jvmFile(JvmTuning.host(), other).writeMerged(f);
        try {
            String m = installError(f);
            assertTrue(m.contains("already fixed") && m.contains(running.toString()) && m.contains(other.toString()) && m.contains(f.toString()), m);
        } finally {
            other.properties().keySet().forEach(System::clearProperty);
        }
    }
}
