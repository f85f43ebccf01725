package relutornado.engine.tuning;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.KernelVariants.Tunable;
import relutornado.engine.KernelVariants.Variant;
import relutornado.engine.tuning.TuningFile.Candidate;

/**
 * What the tuner times for one product shape on a device: the plain kernel, then every device family the registry
 * lists for the kernel × every combination of its tuning values that the family's constraints accept and whose tile
 * fits the product × every work-group size that the device allows. Work-group sizes apply to families whose launch the
 * registry states ({@link Variant#launch()}); the others run with the device's choice.
 */
public final class Candidates {
    /** The 2-D work-group sizes tried (dimension 0 first); null, the device's choice, is always tried first. */
    public static final List<List<Integer>> WORK_GROUPS = List.of(List.of(8, 8), List.of(16, 8), List.of(16, 16), List.of(32, 8), List.of(64, 4));

    /** The device families the tuner times, in order. */
    public static final List<Family> DEVICE_FAMILIES = List.of(Family.TILES, Family.VECTOR, Family.LOCAL);

    private Candidates() {
    }

    /**
     * Every candidate for a product of {@code kernel} on a device whose work-groups hold at most {@code maxWorkGroup}
     * work-items; the plain kernel first.
     */
    public static List<Candidate> forDevice(Method kernel, Product product, long maxWorkGroup) {
        if (maxWorkGroup < 1) {
            throw new IllegalArgumentException("the device's maximum work-group size must be >= 1, got " + maxWorkGroup);
        }
        List<Candidate> out = new ArrayList<>();
        out.add(Candidate.plain());
        for (Family f : DEVICE_FAMILIES) {
            Variant v = KernelVariants.variant(kernel, f).orElse(null);
            if (v == null) {
                continue;
            }
            for (Map<String, Integer> p : combinations(v.tuning())) {
                if (!v.valid().test(p) || !v.fits().fits(product, p) || KernelVariants.workGroupItems(f, p) > maxWorkGroup) {
                    continue;
                }
                out.add(new Candidate(f.flag(), p, null));
                if (v.launch() != null) {
                    for (List<Integer> wg : WORK_GROUPS) {
                        if ((long) wg.get(0) * wg.get(1) <= maxWorkGroup) {
                            out.add(new Candidate(f.flag(), p, wg));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Every assignment of the parameters' values, the first parameter varying slowest. */
    public static List<Map<String, Integer>> combinations(List<Tunable> tuning) {
        List<Map<String, Integer>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Tunable t : tuning) {
            List<Map<String, Integer>> next = new ArrayList<>();
            for (Map<String, Integer> partial : out) {
                for (int value : t.values()) {
                    Map<String, Integer> m = new LinkedHashMap<>(partial);
                    m.put(t.name(), value);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }
}
