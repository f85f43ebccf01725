package relutornado.engine.tuning;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Product;
import relutornado.engine.KernelVariants.Variant;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.engine.tuning.TuningFile.Device;

/**
 * {@code --device-kernels tuned} for one device: with a tuning file for the device (given, or found at
 * {@link TuningFile#defaultPath}) each call whose kernel and product the file tuned runs the file's winner; every
 * other call runs the default rule's family ({@link #defaultFamily}: vector on CPU devices, tiles elsewhere; a family
 * the kernel lacks or whose tile does not fit falls to tiles, then to the plain kernel). Every choice says where it
 * came from, and {@link #record()} is what run.json keeps: the file, its SHA-256 and the choices made.
 */
public final class TunedKernels {

    /** What ran for one kernel and product, and why. */
    public record Choice(String kernel, String product, Candidate candidate, String source) {
    }

    /** For run.json: the tuning file (null: none), its SHA-256, and what ran per kernel and product. */
    public record Record(String tuningFile, String sha256, String note, List<Choice> choices) {
    }

    /** Calls whose kernel has a device variant: the ones a choice is recorded for. */
    private static final java.util.function.Predicate<KernelCall> DEVICE_KERNEL = call -> Candidates.DEVICE_FAMILIES.stream()
            .anyMatch(f -> KernelVariants.variant(call.method(), f).isPresent());

    private final Path path;
    private final TuningFile file;
    private final String sha256;
    private final Family fallback;
    private final String note;
    private final Map<String, Choice> chosen = new LinkedHashMap<>();

    private TunedKernels(Path path, TuningFile file, String sha256, Family fallback, String note) {
        this.path = path;
        this.file = file;
        this.sha256 = sha256;
        this.fallback = fallback;
        this.note = note;
    }

    /** Today's rule without a tuning file: the vector GEMM on CPU devices, the scalar tiles elsewhere. */
    public static Family defaultFamily(boolean cpuDevice) {
        return cpuDevice ? Family.VECTOR : Family.TILES;
    }

    /**
     * The tuned kernels of a device: {@code explicit} (from {@code --tuning}; must be this device's), else the device's
     * file under {@code defaultDir} if there is one, else none, which is said once on {@code err}.
     */
    public static TunedKernels load(Path explicit, Path defaultDir, Device device, Family fallback, PrintStream err) throws IOException {
        Path p = explicit != null ? explicit : TuningFile.defaultPath(defaultDir, device);
        if (explicit == null && !Files.exists(p)) {
            String note = "no tuning file for device " + device + " (looked for " + p + "): --device-kernels tuned runs the default rule, "
                    + fallback.flag() + " kernels where they fit";
            err.println(note);
            return new TunedKernels(null, null, null, fallback, note);
        }
        TuningFile t = TuningFile.read(p, device);
        String note = null;
        if (t.device().driverVersion() != null && !t.device().driverVersion().equals(device.driverVersion())) {
            note = "tuning file " + p + " was tuned under driver " + t.device().driverVersion() + ", running under " + device.driverVersion();
            err.println(note);
        }
        return new TunedKernels(p, t, TuningFile.sha256(p), fallback, note);
    }

    /** What runs for a call, recorded for {@link #record()}. */
    public Choice choose(KernelCall call) {
        String kernel = KernelCall.describe(call.method());
        Product product = KernelVariants.product(call).orElse(null);
        Choice c = null;
        TuningFile.Shape shape = file == null || product == null ? null : file.shape(kernel, product);
        Candidate winner = shape == null ? null : complete(call, shape.winner());
        if (winner != null && runs(call, winner.familyValue(), winner.params(), product)) {
            c = new Choice(kernel, product.toString(), winner, "tuning file " + path);
        } else {
            String why = file == null ? "default rule (no tuning file)"
                    : shape == null ? "default rule (" + path + " has no entry for this shape)"
                    : "default rule (the winner in " + path + ", " + shape.winner() + ", is not registered or does not fit)";
            for (Family f : List.of(fallback, Family.TILES, Family.PLAIN)) {
                Variant v = KernelVariants.variant(call.method(), f).orElse(null);
                if (f == Family.PLAIN || v != null && runs(call, f, v.defaults(), product)) {
                    Map<String, Integer> params = v == null ? Map.of() : v.defaults();
                    c = new Choice(kernel, product == null ? null : product.toString(), new Candidate(f.flag(), params, null), why);
                    break;
                }
            }
        }
        if (DEVICE_KERNEL.test(call)) {
            chosen.putIfAbsent(kernel + " " + c.product(), c);
        }
        return c;
    }

    /** A winner from a file written before one of its family's tuning parameters existed: that parameter at its default. */
    static Candidate complete(KernelCall call, Candidate winner) {
        Variant v = winner.familyValue() == Family.PLAIN ? null : KernelVariants.variant(call.method(), winner.familyValue()).orElse(null);
        if (v == null || winner.params().keySet().containsAll(v.defaults().keySet())) {
            return winner;
        }
        Map<String, Integer> params = v.defaults();
        params.putAll(winner.params());
        return new Candidate(winner.family(), params, winner.local());
    }

    /** Whether the kernel has the family (the plain kernel always runs) and its tile with these values fits the product. */
    private static boolean runs(KernelCall call, Family family, Map<String, Integer> params, Product product) {
        if (family == Family.PLAIN) {
            return true;
        }
        Variant v = KernelVariants.variant(call.method(), family).orElse(null);
        return v != null && family != Family.CPU && v.tuning().stream().allMatch(t -> params.containsKey(t.name()) && t.values().contains(params.get(t.name())))
                && v.valid().test(params) && v.fits().fits(product, params);
    }

    /** The tuning file in use, or null. */
    public Path path() {
        return path;
    }

    public Record record() {
        return new Record(path == null ? null : path.toString(), sha256, note, new ArrayList<>(chosen.values()));
    }
}
