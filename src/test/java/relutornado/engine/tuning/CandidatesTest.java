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
        List<String> rest = new java.util.ArrayList<>(vectors(new int[] {2, 4, 6, 8, 12}, 256));
        rest.addAll(List.of(
                "local {tile=8, wpt=1}", "local {tile=8, wpt=2}", "local {tile=8, wpt=4}", "local {tile=8, wpt=8}",
                "local {tile=16, wpt=1}", "local {tile=16, wpt=2}", "local {tile=16, wpt=4}", "local {tile=16, wpt=8}",
                "local {tile=32, wpt=1}", "local {tile=32, wpt=2}", "local {tile=32, wpt=4}", "local {tile=32, wpt=8}"));
        assertEquals(30, rest.size() - 12, "5 rows × 3 widths × 2 vectors a row");
        assertEquals(rest, got.subList(1 + tiles.size(), got.size()));
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
        List<String> rest = new java.util.ArrayList<>(vectors(new int[] {2, 4, 6, 8, 12}, 256));
        rest.addAll(List.of("local {tile=8, wpt=1}", "local {tile=8, wpt=2}", "local {tile=8, wpt=4}", "local {tile=8, wpt=8}",
                "local {tile=16, wpt=4}", "local {tile=16, wpt=8}"));
        assertEquals(rest, small.subList(1 + tiles.size(), small.size()));
        // the 10-class output layer: 10 columns take float4 tiles one or two a row and float8 one a row, not float16; a
        // reduction of 2 is too short for the vector GEMM
        List<String> ten = vectors(new int[] {2, 4, 6, 8, 12}, 10);
        assertEquals(List.of("vector {rows=2, width=4, vecs=1}", "vector {rows=2, width=4, vecs=2}", "vector {rows=2, width=8, vecs=1}"), ten.subList(0, 3));
        assertEquals(ten, vectorCandidates(Candidates.forDevice(kernel(Dense.class, "forward"), new Product(256, 10, 256), 1024)));
        // batch 5: 2 and 4 rows per work-item fit, 6 and more do not
        assertEquals(vectors(new int[] {2, 4}, 512), vectorCandidates(Candidates.forDevice(kernel(Dense.class, "forward"), new Product(5, 512, 784), 1024)));
        assertTrue(Candidates.forDevice(kernel(Dense.class, "backwardInput"), new Product(256, 784, 2), 1024).stream().noneMatch(x -> x.family().equals("vector")));
        // the Gram matrix has no vector GEMM (it accumulates a triangle): scalar and local-memory tiles
        assertTrue(Candidates.forDevice(kernel(Linalg.class, "gramAccumulate"), new Product(64, 64, 1000), 1024).stream()
                .noneMatch(x -> x.family().equals("vector")));
        assertThrows(IllegalArgumentException.class, () -> Candidates.forDevice(kernel(Dense.class, "forward"), new Product(1, 1, 1), 0));
    }

    /** The vector tiles for these rows that fit cols columns (width · vecs ≤ cols), rows varying slowest, then width, then vecs. */
    static List<String> vectors(int[] rows, int cols) {
        List<String> out = new java.util.ArrayList<>();
        for (int r : rows) {
            for (int width : new int[] {4, 8, 16}) {
                for (int vecs : new int[] {1, 2}) {
                    if (width * vecs <= cols) {
                        out.add("vector {rows=" + r + ", width=" + width + ", vecs=" + vecs + "}");
                    }
                }
            }
        }
        return out;
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
