package relutornado.engine;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import relutornado.kernels.Activation;
import relutornado.kernels.ActivationCpu;
import relutornado.kernels.Adam;
import relutornado.kernels.AdamCpu;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Conv2dCpu;
import relutornado.kernels.Dense;
import relutornado.kernels.DenseCpu;
import relutornado.kernels.Dropout;
import relutornado.kernels.GemmTiles;
import relutornado.kernels.DropoutCpu;
import relutornado.kernels.Linalg;
import relutornado.kernels.LinalgCpu;
import relutornado.kernels.MaxPool;
import relutornado.kernels.MaxPoolCpu;

/**
 * What runs where: one {@link Variant} per (kernel, {@link Family}), with the tuning parameters the family accepts, the
 * constraints on them as code, and the launch geometry stated on the kernel's arguments by name ({@link KernelArgs}).
 * The matrix kernels also declare their {@link Product} (the GEMM view: rows × cols over depth), which the vector
 * family's fit, the tuner's shapes and GFLOP/s use. Every kernel not listed runs as written everywhere. A variant must
 * have the kernel's name and parameter types (the engines swap the method and keep the arguments); one that cannot be
 * found stops the class from loading, so a rename fails the tests instead of silently falling back.
 * {@link #markdownTable()} prints the table for the docs.
 */
public final class KernelVariants {

    /** A variant family: one way of running the kernels, with its own tuning parameters. */
    public enum Family {
        /** The kernel as written (every kernel has it; never registered). */
        PLAIN("the kernel as written"),
        /** java-parallel with {@code --cpu-kernels vector}: Vector API or branch-free JVM code. */
        CPU("java-parallel --cpu-kernels vector"),
        /** tornado {@code --device-kernels tiles}: scalar register tiles, each work-item tile1 rows × tile0 columns of a product. */
        TILES("tornado --device-kernels tiles"),
        /** tornado {@code --device-kernels vector}: rows × width tiles on TornadoVM's float4/8/16 vector types (TornadoVM source set). */
        VECTOR("tornado --device-kernels vector"),
        /** tornado {@code --device-kernels tuned} where a tuning file chose it: local-memory tiles with barriers (TornadoVM source set). */
        LOCAL("tornado --device-kernels tuned (a tuning file's winner)");

        private final String runsWith;

        Family(String runsWith) {
            this.runsWith = runsWith;
        }

        public String runsWith() {
            return runsWith;
        }

        public String flag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Family parse(String value) {
            for (Family f : values()) {
                if (f.flag().equals(value)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("variant family must be one of " + java.util.Arrays.stream(values()).map(Family::flag).toList()
                    + ", got '" + value + "'");
        }
    }

    /** Register tile of the scalar tiles family ({@link GemmTiles}): columns per work-item (launch dimension 0) and rows (dimension 1). */
    public static final String TILE0 = "tile0";
    public static final String TILE1 = "tile1";
    /** The vector GEMM's rows per work-item, its vector width (floats per accumulator) and vectors per row (1 or 2). */
    public static final String ROWS = "rows";
    public static final String WIDTH = "width";
    public static final String VECS = "vecs";
    /** The local-memory GEMM's work-group tile edge (outputs per dimension, and the reduction step) and register tile rows. */
    public static final String TILE = "tile";
    public static final String WPT = "wpt";
    /** The vector GEMM needs a reduction at least this long (with K = 2 TornadoVM 5.2 on PoCL computed wrong results, K = 1 and 3 to 300 right: not understood). */
    public static final int VECTOR_MIN_DEPTH = 8;
    /**
     * With 2 rows per work-item the vector GEMM needs a reduction at least this long: TornadoVM 5.2 fails to compile
     * rows 2 × width 8 and 16 for K = 8 and 13 ("Argument is not an array" in its task specialisation), and compiles them from K = 16.
     */
    public static final int VECTOR_MIN_DEPTH_TWO_ROWS = 16;

    /** A tuning parameter: its name, the values the family accepts, and the value used without a tuning file. */
    public record Tunable(String name, List<Integer> values, int fallback) {
        public Tunable {
            values = List.copyOf(values);
            if (!values.contains(fallback)) {
                throw new IllegalArgumentException("tuning parameter " + name + ": default " + fallback + " is not among " + values);
            }
        }
    }

    /** The GEMM view of a matrix kernel: an output of rows × cols, each a sum over depth products. */
    public record Product(int rows, int cols, int depth) {
        public long flops() {
            return 2L * rows * cols * depth;
        }

        @Override
        public String toString() {
            return rows + "x" + cols + "x" + depth;
        }
    }

    /** A variant's launch geometry from the call's arguments and the chosen tuning values. */
    @FunctionalInterface
    public interface LaunchRule {
        Launch launch(KernelArgs args, Map<String, Integer> params);
    }

    /**
     * One (kernel, family) pair.
     *
     * @param method         the variant method (the CPU family's), or null where the TornadoVM source set expands the call into tasks
     * @param implementation what runs, for tables and run.json
     * @param tuning         the tuning parameters the family accepts
     * @param valid          constraint on a combination of tuning values
     * @param fits           whether the variant runs a product with the given tuning values (true for non-products)
     * @param launch         the launch geometry of the tiles family's GEMM task, from the product (null for the JVM and the other families)
     * @param geometry       the launch geometry in words for the docs table (the test checks {@code launch} itself)
     */
    public record Variant(Method kernel, Family family, Method method, String implementation, List<Tunable> tuning,
                          Predicate<Map<String, Integer>> valid, FitRule fits, LaunchRule launch, String geometry) {
        public String name() {
            return KernelCall.describe(kernel);
        }

        /** The tuning values used without a tuning file. */
        public Map<String, Integer> defaults() {
            Map<String, Integer> m = new LinkedHashMap<>();
            tuning.forEach(t -> m.put(t.name(), t.fallback()));
            return m;
        }
    }

    /** Whether a variant with the given tuning values runs a product (null product: not a matrix kernel). */
    @FunctionalInterface
    public interface FitRule {
        boolean fits(Product product, Map<String, Integer> params);
    }

    /** Columns (dimension 0) × rows (dimension 1) of GemmTiles' register tile; 4×4 without a tuning file. */
    private static final List<Tunable> TILE_TUNING = List.of(
            new Tunable(TILE0, List.of(2, 4, 8), 4), new Tunable(TILE1, List.of(2, 4, 8), 4));
    /**
     * Rows per work-item × vector width × vectors a row (GemmVector.gemm4/8/16, rows × vecs float4/8/16 accumulators);
     * 6×16×1 fills AVX2's 16 registers. A tuning file written before vecs existed means vecs 1.
     */
    private static final List<Tunable> VECTOR_TUNING = List.of(new Tunable(ROWS, List.of(2, 4, 6, 8, 12), 6), new Tunable(WIDTH, List.of(4, 8, 16), 16),
            new Tunable(VECS, List.of(1, 2), 1));

    /** A work-group of tile × tile/wpt work-items, each a register tile of wpt rows; wpt at most GemmLocal.MAX_WPT (8). */
    private static final List<Tunable> LOCAL_TUNING = List.of(new Tunable(TILE, List.of(8, 16, 32), 16), new Tunable(WPT, List.of(1, 2, 4, 8), 4));

    private static final Map<Method, Function<KernelArgs, Product>> PRODUCTS = new LinkedHashMap<>();
    private static final List<Variant> VARIANTS = new ArrayList<>();

    static {
        // P = OH·OW positions, T = C·KH·KW taps; count is the call's range (rows for dense, images for conv)
        product(Dense.class, "forward", a -> new Product(a.count(), a.size("OC"), a.size("C")));
        product(Dense.class, "backwardInput", a -> new Product(a.count(), a.size("C"), a.size("OC")));
        product(Dense.class, "backwardWeights", a -> new Product(a.count(), a.size("OC"), a.size("N")));
        product(Conv2d.class, "forward", a -> new Product(a.count() * positions(a), a.size("OC"), taps(a)));
        product(Conv2d.class, "backwardInput", a -> new Product(a.count() * positions(a), taps(a), a.size("OC")));
        product(Conv2d.class, "backwardWeights", a -> new Product(taps(a), a.count(), a.size("N") * positions(a)));
        product(Linalg.class, "gramAccumulate", a -> new Product(a.count(), a.size("F"), a.size("N")));

        // every product as GemmTiles.gemm tasks with a tile1 × tile0 register tile (the same expansion as the vector family's)
        for (Method k : List.copyOf(PRODUCTS.keySet())) {
            Function<KernelArgs, Product> product = PRODUCTS.get(k);
            add(new Variant(k, Family.TILES, null, "GemmTiles.gemm", TILE_TUNING, p -> true, (prod, p) -> true,
                    (a, p) -> grid(ceil(product.apply(a).cols(), p.get(TILE0)), ceil(product.apply(a).rows(), p.get(TILE1))),
                    "⌈cols/tile0⌉, ⌈rows/tile1⌉ (TornadoVM source set: VectorVariants)"));
        }

        // the products as GemmVector.gemm tasks (TornadoVM's VectorVariants expands them); a product the tile does not fit runs tiles
        for (Method k : List.copyOf(PRODUCTS.keySet())) {
            if (k.getDeclaringClass() != Linalg.class) {
                add(new Variant(k, Family.VECTOR, null, "GemmVector.gemm4/8/16", VECTOR_TUNING, p -> true,
                        (prod, p) -> prod.rows() >= p.get(ROWS) && prod.cols() >= p.get(WIDTH) * p.get(VECS)
                                && prod.depth() >= (p.get(ROWS) <= 2 ? VECTOR_MIN_DEPTH_TWO_ROWS : VECTOR_MIN_DEPTH),
                        null, "⌈⌈cols/width⌉/vecs⌉, ⌈rows/rows⌉ (TornadoVM source set: VectorVariants)"));
            }
        }
        // every product as GemmLocal.gemm tasks (the same expansion as the vector family's, B read in place); any shape fits
        for (Method k : List.copyOf(PRODUCTS.keySet())) {
            add(new Variant(k, Family.LOCAL, null, "GemmLocal.gemm", LOCAL_TUNING, p -> p.get(TILE) % p.get(WPT) == 0, (prod, p) -> true,
                    null, "⌈cols/tile⌉·tile, ⌈rows/tile⌉·tile/wpt; work-groups tile × tile/wpt (TornadoVM source set: VectorVariants)"));
        }
        add(new Variant(kernel(Adam.class, "update"), Family.VECTOR, null, "AdamVector.update", List.of(), p -> true, (prod, p) -> true,
                null, "⌈count/8⌉ (TornadoVM source set: VectorVariants)"));

        // every kernel with a CPU variant; the memory-bound passes of a CNN step have no device variant
        cpu(Dense.class, "forward", DenseCpu.class);
        cpu(Dense.class, "backwardInput", DenseCpu.class);
        cpu(Dense.class, "backwardWeights", DenseCpu.class);
        cpu(Dense.class, "backwardBias", DenseCpu.class);
        cpu(Conv2d.class, "forward", Conv2dCpu.class);
        cpu(Conv2d.class, "backwardInput", Conv2dCpu.class);
        cpu(Conv2d.class, "backwardWeights", Conv2dCpu.class);
        cpu(Conv2d.class, "backwardBias", Conv2dCpu.class);
        cpu(Linalg.class, "gramAccumulate", LinalgCpu.class);
        cpu(Activation.class, "reluForward", ActivationCpu.class);
        cpu(Activation.class, "reluBackward", ActivationCpu.class);
        cpu(Dropout.class, "forward", DropoutCpu.class);
        cpu(Dropout.class, "backward", DropoutCpu.class);
        cpu(MaxPool.class, "forward2x2", MaxPoolCpu.class);
        cpu(MaxPool.class, "backward2x2", MaxPoolCpu.class);
        cpu(Adam.class, "update", AdamCpu.class);
    }

    private KernelVariants() {
    }

    private static int positions(KernelArgs a) {
        return a.size("OH") * a.size("OW");
    }

    private static int taps(KernelArgs a) {
        return a.size("C") * a.size("KH") * a.size("KW");
    }

    private static long ceil(long n, int tile) {
        return (n + tile - 1) / tile;
    }

    private static Launch grid(long dim0, long dim1) {
        return Launch.of(Math.max(1, dim0), Math.max(1, dim1));
    }

    private static void product(Class<?> kernels, String method, Function<KernelArgs, Product> product) {
        PRODUCTS.put(kernel(kernels, method), product);
    }

    private static void cpu(Class<?> kernels, String method, Class<?> cpu) {
        Method k = kernel(kernels, method);
        add(new Variant(k, Family.CPU, variantMethod(k, cpu), KernelCall.describe(variantMethod(k, cpu)), List.of(), p -> true, (prod, p) -> true, null, "—"));
    }

    private static void add(Variant v) {
        KernelArgs.names(v.kernel());
        if (VARIANTS.stream().anyMatch(o -> o.kernel().equals(v.kernel()) && o.family() == v.family())) {
            throw new IllegalStateException("kernel " + v.name() + " has two " + v.family() + " variants");
        }
        VARIANTS.add(v);
    }

    /** The static kernel {@code kernels.method} (kernel names are not overloaded). */
    private static Method kernel(Class<?> kernels, String method) {
        Method found = null;
        for (Method m : kernels.getMethods()) {
            if (m.getName().equals(method) && Modifier.isStatic(m.getModifiers())) {
                if (found != null) {
                    throw new IllegalStateException("registered kernel " + kernels.getSimpleName() + "." + method + " is overloaded");
                }
                found = m;
            }
        }
        if (found == null) {
            throw new IllegalStateException("registered kernel " + kernels.getSimpleName() + "." + method + " does not exist");
        }
        return found;
    }

    private static Method variantMethod(Method kernel, Class<?> owner) {
        try {
            Method m = owner.getMethod(kernel.getName(), kernel.getParameterTypes());
            if (!Modifier.isStatic(m.getModifiers())) {
                throw new IllegalStateException("variant " + KernelCall.describe(m) + " must be static");
            }
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("registered variant " + owner.getSimpleName() + "." + kernel.getName()
                    + " of kernel " + KernelCall.describe(kernel) + " does not exist with the kernel's parameter types", e);
        }
    }

    /** Every registered variant, kernels in registration order within each family. */
    public static List<Variant> variants() {
        return List.copyOf(VARIANTS);
    }

    /** The kernel's variant of a family, if it has one ({@link Family#PLAIN} never has: the kernel runs as written). */
    public static Optional<Variant> variant(Method kernel, Family family) {
        return VARIANTS.stream().filter(v -> v.kernel().equals(kernel) && v.family() == family).findFirst();
    }

    /** The kernels that declare a {@link Product}, in registration order. */
    public static List<Method> products() {
        return List.copyOf(PRODUCTS.keySet());
    }

    /** The GEMM view of a call, if its kernel is a matrix product. */
    public static Optional<Product> product(KernelCall call) {
        Function<KernelArgs, Product> f = PRODUCTS.get(call.method());
        return f == null ? Optional.empty() : Optional.of(f.apply(KernelArgs.of(call)));
    }

    /** The CPU variant of a kernel, if it has one. */
    public static Optional<Method> cpu(Method kernel) {
        return variant(kernel, Family.CPU).map(Variant::method);
    }

    /** Work-items in one work-group of a family that sets its own ({@link Family#LOCAL}); 0 for the others (the device's or the tuner's choice). */
    public static long workGroupItems(Family family, Map<String, Integer> params) {
        return family == Family.LOCAL ? (long) params.get(TILE) * (params.get(TILE) / params.get(WPT)) : 0;
    }

    /** The registry as a Markdown table: one row per (kernel, family), with its tuning parameters and device work-items. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| kernel | family | runs | tuning parameters (default) | device work-items (dim 0, dim 1) |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Family f : Family.values()) {
            for (Variant v : VARIANTS) {
                if (v.family() != f) {
                    continue;
                }
                String tuning = v.tuning().isEmpty() ? "—" : v.tuning().stream()
                        .map(t -> t.name() + " " + t.values().stream().map(String::valueOf).collect(Collectors.joining("/", "{", "}"))
                                + " (" + t.fallback() + ")")
                        .collect(Collectors.joining(", "));
                sb.append("| ").append(v.name()).append(" | ").append(f.flag()).append(" | ").append(v.implementation())
                        .append(" | ").append(tuning).append(" | ").append(v.geometry()).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** Prints {@link #markdownTable()} (the docs paste it between their variant-table markers). */
    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}
