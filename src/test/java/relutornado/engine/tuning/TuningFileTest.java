package relutornado.engine.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.engine.tuning.TuningFile.Device;
import relutornado.engine.tuning.TuningFile.Shape;
import relutornado.engine.tuning.TuningFile.Tried;

/** The tuning file: round trip, update in place, and one clear error naming the file for a corrupt or foreign one. */
class TuningFileTest {
    static final Device POCL = new Device("cpu-haswell-AMD Ryzen", "AuthenticAMD", "PoCL 3.1", "OpenCL C 1.2", "5.2.0", "AMD Ryzen 9");
    static final Device GPU = new Device("NVIDIA H100", "NVIDIA Corporation", "550.54", "OpenCL C 1.2", "5.2.0", "Intel Xeon");

    static Shape shape(String kernel, Product p, double tilesGflops) {
        Candidate tiles = new Candidate("tiles", Map.of("tile0", 4, "tile1", 4), List.of(16, 16));
        return Shape.of(kernel, p, List.of(new Tried(Candidate.plain(), 3.0, null), new Tried(tiles, tilesGflops, null),
                new Tried(new Candidate("vector", Map.of("rows", 6, "width", 16), null), null, "bailout: kernel did not compile")));
    }

    static TuningFile file(Device d, Shape... shapes) {
        return new TuningFile(TuningFile.FORMAT, d, "2025-01-02T03:04:05Z", List.of(shapes));
    }

    @Test
    void roundTripKeepsEveryField(@TempDir Path dir) throws IOException {
        TuningFile t = file(POCL, shape("Dense.forward", new Product(256, 256, 784), 20.5));
        Path f = dir.resolve("t.json");
        t.writeMerged(f);
        TuningFile back = TuningFile.read(f, POCL);
        assertEquals(t, back);
        Shape s = back.shape("Dense.forward", new Product(256, 256, 784));
        assertEquals("tiles", s.winner().family());
        assertEquals(List.of(16, 16), s.winner().local());
        assertEquals(20.5, s.winnerGflops());
        assertEquals(3.0, s.plainGflops());
        assertEquals("bailout: kernel did not compile", s.tried().get(2).error());
        assertNull(back.shape("Dense.forward", new Product(255, 256, 784)));
        String json = Files.readString(f);
        assertTrue(json.contains("\"driverVersion\": \"PoCL 3.1\"") && json.contains("\"hostCpu\": \"AMD Ryzen 9\""), json);
    }

    /** Tuning the same device again replaces the shapes it re-tuned and keeps the others, in one atomic write. */
    @Test
    void sameDeviceIsUpdatedInPlace(@TempDir Path dir) throws IOException {
        Path f = TuningFile.defaultPath(dir, POCL);
        assertEquals("authenticamd-cpu-haswell-amd-ryzen.json", f.getFileName().toString());
        Product a = new Product(256, 256, 784);
        Product b = new Product(256, 10, 256);
        Product c = new Product(256, 784, 256);
        file(POCL, shape("Dense.forward", a, 10), shape("Dense.forward", b, 5)).writeMerged(f);
        file(POCL, shape("Dense.forward", a, 30), shape("Dense.backwardInput", c, 7)).writeMerged(f);
        TuningFile t = TuningFile.read(f, POCL);
        assertEquals(List.of("Dense.forward 256x256x784", "Dense.forward 256x10x256", "Dense.backwardInput 256x784x256"),
                t.shapes().stream().map(Shape::key).toList());
        assertEquals(30.0, t.shape("Dense.forward", a).winnerGflops());
        assertEquals(List.of(f.getFileName()), Files.list(dir).map(Path::getFileName).toList(), "no temporary file left");
    }

    @Test
    void foreignDeviceIsOneErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.json");
        file(GPU, shape("Dense.forward", new Product(8, 8, 8), 1)).writeMerged(f);
        String before = Files.readString(f);
        var e = assertThrows(IllegalArgumentException.class, () -> TuningFile.read(f, POCL));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("NVIDIA H100"), e.getMessage());
        var w = assertThrows(IllegalArgumentException.class, () -> file(POCL, shape("Dense.forward", new Product(8, 8, 8), 1)).writeMerged(f));
        assertTrue(w.getMessage().contains(f.toString()), w.getMessage());
        assertEquals(before, Files.readString(f), "another device's file is not overwritten");
    }

    @Test
    void corruptFileIsOneErrorNamingTheFile(@TempDir Path dir) throws IOException {
        for (String text : List.of("{not json", "", "[]", "{\"format\": 1, \"date\": \"x\", \"shapes\": []}",
                "{\"format\": 7, \"device\": {\"name\": \"a\", \"vendor\": \"b\"}, \"date\": \"x\", \"shapes\": []}",
                "{\"format\": 1, \"device\": {\"name\": \"a\", \"vendor\": \"b\"}, \"date\": \"x\", \"shapes\": [{\"kernel\": \"Dense.forward\"}]}",
                "{\"format\": 1, \"device\": {\"name\": \"a\", \"vendor\": \"b\"}, \"date\": \"x\", \"shapes\": [{\"kernel\": \"K\", \"product\": "
                        + "{\"rows\": 1, \"cols\": 1, \"depth\": 1}, \"winner\": {\"family\": \"warp\"}, \"winnerGflops\": 1, \"tried\": []}]}")) {
            Path f = dir.resolve("bad.json");
            Files.writeString(f, text);
            var e = assertThrows(IllegalArgumentException.class, () -> TuningFile.read(f), text);
            assertTrue(e.getMessage().startsWith("tuning file " + f + " is not a readable tuning file"), text + " -> " + e.getMessage());
        }
        var missing = assertThrows(IllegalArgumentException.class, () -> TuningFile.read(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("none.json") && missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void aShapesWinnerIsItsFastestCandidateThatRan() {
        Shape s = shape("Dense.forward", new Product(1, 1, 1), 2.0);
        assertEquals("plain", s.winner().family(), "plain at 3 GFLOP/s beats tiles at 2");
        assertNull(Shape.of("Dense.forward", new Product(1, 1, 1), List.of(new Tried(Candidate.plain(), null, "failed"))));
        assertThrows(IllegalArgumentException.class, () -> new Tried(Candidate.plain(), 1.0, "both"));
    }

    @Test
    void sha256OfTheFileBytes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("abc");
        Files.writeString(f, "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TuningFile.sha256(f));
    }
}
