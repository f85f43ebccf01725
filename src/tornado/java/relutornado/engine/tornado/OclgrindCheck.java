package relutornado.engine.tornado;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import relutornado.engine.Fusions;
import relutornado.engine.KernelCases;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Variant;
import relutornado.engine.tuning.Candidates;
import relutornado.engine.tuning.TuningFile.Candidate;
import relutornado.kernels.vector.GemmVector;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * GPU semantics of the OpenCL C that TornadoVM generates, checked by Oclgrind (TornadoVM 5.2 lists no device on
 * Oclgrind's ICD, so the kernels run standalone under {@code oclgrind-kernel}). Each device task of every registered
 * family (plain, tiles, vector, local) and tuning value runs once on a TornadoVM device with its kernel source and
 * thread dimensions printed; that source and a {@code .sim} file with the same NDRange, one zero-filled buffer per
 * array (TornadoVM's 16-byte header plus the data) and the call's int arguments go to {@code oclgrind-kernel
 * --data-races --uninitialized}. Any message it prints is a finding. {@code scripts/oclgrind-check.sh} runs {@link #main}.
 */
public final class OclgrindCheck {
    /** Bytes before an array's data in a TornadoVM device buffer (the JVM's array header; off-heap arrays' own). */
    static final long HEADER = TornadoNativeArray.ARRAY_HEADER;
    /** Size of the buffers TornadoVM adds to every kernel (kernel context, constant region, atomics), zero-filled. */
    static final int RUNTIME_BUFFER = 4096;
    /** A work-group edge when TornadoVM leaves the choice to the driver: small, so that every kernel has several groups. */
    static final int DEFAULT_GROUP = 4;
    /** Elements added to each array for the device run (see {@link #compile}). */
    static final int PADDING = 4096;
    /** Graph names unique within the JVM, so that no check reuses another's compiled task. */
    private static final AtomicInteger GRAPHS = new AtomicInteger();
    private static final Pattern KERNEL = Pattern.compile("__kernel\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern SIZES = Pattern.compile("\\[([0-9, ]+)\\]");

    /** The families checked by default: every one that runs on a TornadoVM device. */
    static final List<Family> FAMILIES = List.of(Family.PLAIN, Family.TILES, Family.VECTOR, Family.LOCAL);

    /** One device task to check: a label for the report and the call as the engine would run it. */
    public record Target(String label, KernelCall call) {
    }

    /** A compiled kernel: its source, name, NDRange and the arrays behind its {@code __global uchar *} arguments, in order. */
    public record Kernel(String label, String name, String source, long[] global, long[] local, Object[] args) {
        /** The arrays behind the kernel's {@code __global uchar *} parameters, in order. */
        List<Object> arrays() {
            return Arrays.stream(args).filter(a -> !(a instanceof Number)).toList();
        }
    }

    private OclgrindCheck() {
    }

    /**
     * The device tasks of every registered family on the device-check's odd shapes: per (kernel, family) the first case
     * the family fits, with the default tuning values or (all) every combination the family accepts.
     */
    public static List<Target> registered(boolean all) {
        return registered(all, FAMILIES);
    }

    /** As {@link #registered(boolean)}, for the given families only. */
    public static List<Target> registered(boolean all, List<Family> families) {
        List<Target> out = new ArrayList<>();
        List<KernelCases.Case> cases = KernelCases.all();
        List<Method> kernels = KernelVariants.variants().stream().filter(v -> v.family() != Family.CPU).map(Variant::kernel).distinct().toList();
        for (Method k : kernels) {
            for (Family f : families) {
                Variant v = f == Family.PLAIN ? null : KernelVariants.variant(k, f).orElse(null);
                if (f != Family.PLAIN && v == null) {
                    continue;
                }
                List<Map<String, Integer>> settings = v == null ? List.of(Map.of())
                        : all ? Candidates.combinations(v.tuning()).stream().filter(p -> v.valid().test(p)).toList() : List.of(v.defaults());
                for (Map<String, Integer> p : settings) {
                    // the first case that fits, and later ones only for a task kernel the earlier ones did not run
                    // (the backward to input's channel-vector gather, which only C a multiple of 16 takes)
                    java.util.Set<Method> seen = new java.util.HashSet<>();
                    for (KernelCases.Case c : cases) {
                        KernelCall call = c.make().apply(new Random(1));
                        if (!call.method().equals(k)) {
                            continue;
                        }
                        List<KernelCall> calls;
                        try {
                            calls = TornadoEngine.candidateCalls(call, new Candidate(f.flag(), p, null));
                        } catch (IllegalArgumentException doesNotFit) {
                            continue;
                        }
                        for (KernelCall task : calls) {
                            if (seen.add(task.method())) {
                                out.add(new Target(f.flag() + " " + p + " " + c.name() + ": " + KernelCall.describe(task.method()), task));
                            }
                        }
                    }
                }
            }
        }
        // the kernels the variant families run for fused pairs (relutornado.engine.Fusions), launched as the vector family does
        if (families.contains(Family.VECTOR)) {
            for (Fusions.Fusion f : Fusions.all()) {
                cases.stream().filter(c -> c.name().equals(KernelCall.describe(f.fused()))).findFirst().ifPresent(c -> out.add(
                        new Target("fused " + c.name() + ": " + c.name(), VectorVariants.onCpuThreads(c.make().apply(new Random(1))))));
            }
            // a phase's weight packs as one task (VectorVariants.mergePacks): two odd matrices out of one array, no third
            int K = 13, cols = 37;
            float[] w = new float[2 * K * cols + 7];
            List<KernelCall> packs = VectorVariants.mergePacks(List.of(
                    KernelCall.of("p0", GemmVector.class, "pack16", new float[K * cols], w, 1, 1, K, K, cols),
                    KernelCall.of("p1", GemmVector.class, "pack16", new float[K * cols], w, 5 + K * cols, 1, K, K, cols)));
            out.add(new Target("merged packs: " + KernelCall.describe(packs.get(0).method()), packs.get(0)));
        }
        return out;
    }

    /** Runs the call alone on the device with TornadoVM printing its kernel source and thread dimensions, and reads both back. */
    public static Kernel compile(TornadoDevice device, String graphName, Target target) {
        KernelCall call = target.call();
        // the device runs on padded copies: a kernel that strays past its arrays overwrites padding there, not the
        // driver's heap, and Oclgrind (with the real sizes) names it. Scalars are kernel arguments, so the source is the same.
        Map<Object, Object> copies = new IdentityHashMap<>();
        Object[] args = Arrays.stream(call.args()).map(a -> copies.computeIfAbsent(a, OclgrindCheck::padded)).toArray();
        if (call.launch() != null && call.launch().kernelContext()) {
            Object[] withContext = new Object[args.length + 1];
            withContext[0] = new KernelContext();
            System.arraycopy(args, 0, withContext, 1, args.length);
            args = withContext;
        }
        List<Object> arrays = Arrays.stream(args).filter(a -> !(a instanceof Number) && !(a instanceof KernelContext)).toList();
        TaskGraph g = new TaskGraph(graphName);
        g.transferToDevice(DataTransferMode.FIRST_EXECUTION, arrays.toArray());
        Tasks.add(g, "t", call.method(), args);
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, arrays.get(0));
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(g.snapshot())) {
            plan.withDevice(device).withPrintKernel().withThreadInfo();
            if (TornadoEngine.needsGrid(call.launch())) {
                GridScheduler grids = new GridScheduler();
                grids.addWorkerGrid(graphName + ".t", TornadoEngine.workerGrid(call.launch()));
                plan.withGridScheduler(grids);
            }
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            plan.execute();
        } catch (Exception e) {
            throw new IllegalStateException(target.label() + ": TornadoVM could not run it: " + e, e);
        } finally {
            System.setOut(stdout);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        int info = text.indexOf("Task info:");
        if (info < 0 || !KERNEL.matcher(text).find()) {
            throw new IllegalStateException(target.label() + ": TornadoVM printed no kernel source and thread info:\n" + text);
        }
        String source = text.substring(0, info);
        Matcher m = KERNEL.matcher(source);
        m.find();
        long[] global = sizes(text, "Global work size");
        // the work-group TornadoVM set (a KernelContext kernel's) or, where the driver chooses, small groups (several per kernel)
        long[] local = call.launch() != null && call.launch().local() != null ? sizes(text, "Local  work size") : groups(global);
        return new Kernel(target.label(), m.group(1), source, global, local, call.args());
    }

    private static Object padded(Object a) {
        if (a instanceof float[] f) {
            return Arrays.copyOf(f, f.length + PADDING);
        }
        if (a instanceof int[] i) {
            return Arrays.copyOf(i, i.length + PADDING);
        }
        return a;
    }

    private static long[] sizes(String text, String key) {
        int at = text.indexOf(key);
        Matcher m = SIZES.matcher(text.substring(at));
        if (at < 0 || !m.find()) {
            throw new IllegalStateException("no '" + key + "' in TornadoVM's thread info:\n" + text);
        }
        return Arrays.stream(m.group(1).split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
    }

    /** The work-group when TornadoVM leaves it to the driver: per dimension the largest divisor up to {@link #DEFAULT_GROUP}. */
    static long[] groups(long[] global) {
        long[] local = new long[global.length];
        for (int d = 0; d < global.length; d++) {
            long l = Math.min(DEFAULT_GROUP, global[d]);
            while (global[d] % l != 0) {
                l--;
            }
            local[d] = l;
        }
        return local;
    }

    /** The {@code .sim} file for a kernel in {@code dir}: the kernel file, its name, NDRange, work-group and one line per parameter. */
    static String sim(Kernel k, Path clFile) {
        Matcher m = KERNEL.matcher(k.source());
        m.find();
        StringBuilder sb = new StringBuilder();
        sb.append(clFile.getFileName()).append('\n').append(k.name()).append('\n');
        sb.append(join(pad(k.global()))).append('\n').append(join(pad(k.local()))).append('\n');
        List<Object> scalars = Arrays.stream(k.args()).filter(a -> a instanceof Number).toList();
        int array = 0;
        int scalar = 0;
        for (String param : m.group(2).split(",")) {
            String p = param.trim();
            String name = p.substring(p.lastIndexOf('*') + 1).trim();
            if (p.contains("__local")) {
                sb.append("<size=").append(RUNTIME_BUFFER).append(">\n");
            } else if (p.contains("*") && name.startsWith("_")) {
                // TornadoVM's own: _kernel_context, _constant_region, _atomics
                sb.append("<size=").append(RUNTIME_BUFFER).append(" fill=0>\n");
            } else if (p.contains("*")) {
                if (array >= k.arrays().size()) {
                    throw new IllegalStateException(k.label() + ": kernel " + k.name() + " has more array parameters than the call has arrays: " + p);
                }
                Object a = k.arrays().get(array++);
                sb.append("<size=").append(HEADER + bytes(a)).append(" fill=0>\n");
            } else {
                String type = p.contains("float") ? "float" : "int";
                if (scalar >= scalars.size() || !(scalars.get(scalar) instanceof Integer || type.equals("float") && scalars.get(scalar) instanceof Float)) {
                    throw new IllegalStateException(k.label() + ": kernel " + k.name() + " parameter " + p + " is not the call's next " + type + " argument");
                }
                sb.append("<size=4 ").append(type).append("> ").append(scalars.get(scalar++)).append('\n');
            }
        }
        if (scalar != scalars.size()) {
            throw new IllegalStateException(k.label() + ": kernel " + k.name() + " takes " + scalar + " scalars, the call passes " + scalars.size());
        }
        if (array != k.arrays().size()) {
            throw new IllegalStateException(k.label() + ": kernel " + k.name() + " takes " + array + " arrays, the call passes " + k.arrays().size());
        }
        return sb.toString();
    }

    private static long bytes(Object a) {
        if (a instanceof float[] f) {
            return 4L * f.length;
        }
        if (a instanceof int[] i) {
            return 4L * i.length;
        }
        throw new IllegalStateException("no .sim buffer for a " + a.getClass().getName() + " argument (the kernels take float[] and int[])");
    }

    private static long[] pad(long[] sizes) {
        long[] out = {1, 1, 1};
        System.arraycopy(sizes, 0, out, 0, sizes.length);
        return out;
    }

    private static String join(long[] sizes) {
        return String.join(" ", Arrays.stream(sizes).mapToObj(Long::toString).toList());
    }

    /**
     * Writes the kernel's {@code .cl} and {@code .sim} files into {@code dir} as {@code <index>_<name>} and runs
     * {@code oclgrind-kernel} on them; returns Oclgrind's messages, empty when it reported nothing.
     */
    static String oclgrind(Kernel k, Path dir, int index) throws IOException, InterruptedException {
        String base = String.format("%03d_%s", index, k.name());
        Path cl = dir.resolve(base + ".cl");
        Path simFile = dir.resolve(base + ".sim");
        Files.writeString(cl, k.source());
        Files.writeString(simFile, sim(k, cl));
        Process p = new ProcessBuilder("oclgrind-kernel", "--data-races", "--uninitialized", simFile.getFileName().toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return "oclgrind-kernel did not finish in 10 minutes";
        }
        Files.writeString(dir.resolve(base + ".log"), out);
        if (p.exitValue() != 0 && out.isBlank()) {
            return "oclgrind-kernel exited with " + p.exitValue();
        }
        return out.strip();
    }

    /**
     * Compiles every target on the device and runs it under Oclgrind, files in {@code dir}; prints one line per kernel
     * and returns the findings, one per flagged kernel (its label, kernel name, files and Oclgrind's message).
     */
    public static List<String> check(TornadoDevice device, List<Target> targets, Path dir, PrintStream log) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            Kernel k = compile(device, "oclgrind_" + GRAPHS.incrementAndGet(), t);
            String message = oclgrind(k, dir, i);
            log.printf("%-4s %s  (%s, NDRange %s / %s)%n", message.isEmpty() ? "ok" : "FAIL", t.label(), k.name(),
                    Arrays.toString(k.global()), Arrays.toString(k.local()));
            if (!message.isEmpty()) {
                findings.add(t.label() + " (kernel " + k.name() + ", " + dir.resolve(String.format("%03d_%s.sim", i, k.name())) + "):\n" + message);
            }
        }
        return findings;
    }

    /** The device {@code B:D} of TornadoVM's runtime. */
    public static TornadoDevice device(String id) {
        String[] parts = id.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--device must be B:D (backend:device), got '" + id + "'");
        }
        return TornadoRuntimeProvider.getTornadoRuntime().getBackend(Integer.parseInt(parts[0])).getDevice(Integer.parseInt(parts[1]));
    }

    /** {@code [--all] [--device B:D] [--out DIR]}: exit 1 naming each flagged kernel and Oclgrind's message. */
    public static void main(String[] args) throws Exception {
        boolean all = false;
        List<Family> families = FAMILIES;
        String device = "0:0";
        Path out = Path.of("runs/oclgrind");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--all" -> all = true;
                case "--device" -> device = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--family" -> {
                    try {
                        families = Arrays.stream(args[++i].split(",")).map(Family::parse).toList();
                        if (!FAMILIES.containsAll(families)) {
                            throw new IllegalArgumentException("the families checked are " + FAMILIES.stream().map(Family::flag).toList() + ", got " + args[i]);
                        }
                    } catch (IllegalArgumentException e) {
                        System.err.println("oclgrind-check: --family: " + e.getMessage());
                        System.exit(2);
                    }
                }
                default -> {
                    System.err.println("oclgrind-check: unknown argument '" + args[i] + "' (expected --all, --family F[,F...], --device B:D, --out DIR)");
                    System.exit(2);
                }
            }
        }
        List<Target> targets = registered(all, families);
        System.out.println("oclgrind-check: " + targets.size() + " kernels (" + (all ? "every tuning value" : "default tuning values")
                + "), files in " + out);
        List<String> findings = check(device(device), targets, out, System.out);
        if (!findings.isEmpty()) {
            System.err.println("oclgrind-check: Oclgrind flagged " + findings.size() + " of " + targets.size() + " kernels:");
            findings.forEach(f -> System.err.println(f + "\n"));
            System.exit(1);
        }
        System.out.println("oclgrind-check: " + targets.size() + " kernels clean under oclgrind-kernel --data-races --uninitialized");
        System.exit(0);
    }
}
