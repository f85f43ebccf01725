package relutornado.engine.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.KernelVariants.Tunable;
import relutornado.kernels.Dense;
import relutornado.kernels.Linalg;
import relutornado.engine.tuning.TuningFile.Candidate;

/** Candidate enumeration: family × tuning values × work-group sizes from the registry, constraints applied, the plain kernel first. */
class CandidatesTest {
    static Method kernel(Class<?> c, String name) {
        return KernelVariants.products().stream().filter(m -> m.getDeclaringClass() == c && m.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aLargeDenseProductGetsEveryFamilyAndWorkGroup() {
        List<Candidate> c = Candidates.forDevice(kernel(Dense.class, "forward"), new Product(256, 256, 784), 1024);
        assertEquals(Candidate.plain(), c.get(0));
        List<String> got = c.stream().map(Candidate::toString).toList();
        List<String> tiles = tiles("", " local [8, 8]", " local [16, 8]", " local [16, 16]", " local [32, 8]", " local [64, 4]");
        assertEquals(54, tiles.size(), "3×3 register tiles × (the device's choice + 5 work-groups)");
        assertEquals(List.of("plain"), got.subList(0, 1));
        assertEquals(tiles, got.subList(1, 1 + tiles.size()));
        assertEquals(List.of(
                "vector {rows=2, width=4}", "vector {rows=2, width=8}", "vector {rows=2, width=16}", "vector {rows=4, width=4}", "vector {rows=4, width=8}", "vector {rows=4, width=16}", "vector {rows=6, width=4}", "vector {rows=6, width=8}", "vector {rows=6, width=16}", "vector {rows=8, width=4}", "vector {rows=8, width=8}", "vector {rows=8, width=16}", "vector {rows=12, width=4}", "vector {rows=12, width=8}", "vector {rows=12, width=16}",
                "local {tile=8, wpt=1}", "local {tile=8, wpt=2}", "local {tile=8, wpt=4}", "local {tile=8, wpt=8}",
                "local {tile=16, wpt=1}", "local {tile=16, wpt=2}", "local {tile=16, wpt=4}", "local {tile=16, wpt=8}",
                "local {tile=32, wpt=1}", "local {tile=32, wpt=2}", "local {tile=32, wpt=4}", "local {tile=32, wpt=8}"), got.subList(1 + tiles.size(), got.size()));
    }

    /** The tiles family's candidates, tile0 (columns) varying slowest, each with every given work-group suffix. */
    static List<String> tiles(String... workGroups) {
        List<String> out = new java.util.ArrayList<>();
        for (int tile0 : new int[] {2, 4, 8}) {
            for (int tile1 : new int[] {2, 4, 8}) {
                for (String wg : workGroups) {
                    out.add("tiles {tile0=" + tile0 + ", tile1=" + tile1 + "}" + wg);
                }
            }
        }
        return out;
    }

    /** Constraints are applied: work-groups larger than the device allows, and a vector tile wider than the product, are not candidates. */
    @Test
    void constraintsDropCandidates() {
        List<String> small = Candidates.forDevice(kernel(Dense.class, "forward"), new Product(256, 256, 784), 64).stream().map(Candidate::toString).toList();
        // local-memory work-groups are tile × tile/wpt: 16×16/wpt fits 64 work-items from wpt 4 on, 32×32/wpt not at all
        List<String> tiles = tiles("", " local [8, 8]");
        assertEquals(List.of("plain"), small.subList(0, 1));
        assertEquals(tiles, small.subList(1, 1 + tiles.size()));
        assertEquals(List.of("vector {rows=2, width=4}", "vector {rows=2, width=8}", "vector {rows=2, width=16}", "vector {rows=4, width=4}", "vector {rows=4, width=8}", "vector {rows=4, width=16}", "vector {rows=6, width=4}", "vector {rows=6, width=8}", "vector {rows=6, width=16}", "vector {rows=8, width=4}", "vector {rows=8, width=8}", "vector {rows=8, width=16}", "vector {rows=12, width=4}", "vector {rows=12, width=8}", "vector {rows=12, width=16}",
                "local {tile=8, wpt=1}", "local {tile=8, wpt=2}", "local {tile=8, wpt=4}", "local {tile=8, wpt=8}",
                "local {tile=16, wpt=4}", "local {tile=16, wpt=8}"), small.subList(1 + tiles.size(), small.size()));
        // the 10-class output layer: 10 columns take float4 and float8 tiles, not float16; a reduction of 2 is too short for the vector GEMM
        assertEquals(List.of("vector {rows=2, width=4}", "vector {rows=2, width=8}", "vector {rows=4, width=4}", "vector {rows=4, width=8}",
                        "vector {rows=6, width=4}", "vector {rows=6, width=8}", "vector {rows=8, width=4}", "vector {rows=8, width=8}",
                        "vector {rows=12, width=4}", "vector {rows=12, width=8}"),
                vectorCandidates(Candidates.forDevice(kernel(Dense.class, "forward"), new Product(256, 10, 256), 1024)));
        // batch 5: 2 and 4 rows per work-item fit, 6 and more do not
        assertEquals(List.of("vector {rows=2, width=4}", "vector {rows=2, width=8}", "vector {rows=2, width=16}",
                        "vector {rows=4, width=4}", "vector {rows=4, width=8}", "vector {rows=4, width=16}"),
                vectorCandidates(Candidates.forDevice(kernel(Dense.class, "forward"), new Product(5, 512, 784), 1024)));
        assertTrue(Candidates.forDevice(kernel(Dense.class, "backwardInput"), new Product(256, 784, 2), 1024).stream().noneMatch(x -> x.family().equals("vector")));
        // the Gram matrix has no vector GEMM (it accumulates a triangle): scalar and local-memory tiles
        assertTrue(Candidates.forDevice(kernel(Linalg.class, "gramAccumulate"), new Product(64, 64, 1000), 1024).stream()
                .noneMatch(x -> x.family().equals("vector")));
        assertThrows(IllegalArgumentException.class, () -> Candidates.forDevice(kernel(Dense.class, "forward"), new Product(1, 1, 1), 0));
    }

    static List<String> vectorCandidates(List<Candidate> c) {
        return c.stream().filter(x -> x.family().equals("vector")).map(Candidate::toString).toList();
    }

    /** A kernel without device variants has the plain kernel only. */
    @Test
    void aKernelWithoutVariantsHasThePlainKernelOnly() {
        Method relu = KernelCall.of("r", relutornado.kernels.Activation.class, "reluForward", new float[1], new float[1], 0, 1).method();
        assertEquals(List.of(Candidate.plain()), Candidates.forDevice(relu, null, 1024));
    }

    @Test
    void combinationsAreTheCartesianProduct() {
        var m = Candidates.combinations(List.of(new Tunable("rows", List.of(2, 4, 8), 4), new Tunable("width", List.of(4, 8), 8)));
        assertEquals(6, m.size());
        assertEquals(Map.of("rows", 2, "width", 4), m.get(0));
        assertEquals(Map.of("rows", 2, "width", 8), m.get(1));
        assertEquals(Map.of("rows", 8, "width", 8), m.get(5));
        assertEquals(List.of(Map.of()), Candidates.combinations(List.of()));
    }
}
