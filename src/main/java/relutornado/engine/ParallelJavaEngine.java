package relutornado.engine;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Multi-core JVM engine: splits each kernel's {@code (start, count)} range into contiguous chunks
 * run on a ForkJoin pool of {@code --threads} workers.
 * <p>
 * With vector kernels (the default) a kernel that has a CPU variant in {@link KernelVariants} (e.g.
 * {@code DenseCpu.forward}: packed Vector API GEMM) runs that instead, on one chunk per thread; the variants are tested equal to the plain kernels to 1e-5 relative.
 * With plain kernels (or when the JVM was started without {@code --add-modules jdk.incubator.vector}) it
 * runs the {@code @Parallel} kernels themselves; they write disjoint outputs per range element, so the
 * result is the sequential engine's bit for bit.
 */
public final class ParallelJavaEngine implements Engine {
    /** The Vector API module the CPU variants need. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Chunks per thread for plain kernels: some slack for uneven chunks. */
    private static final int PLAIN_CHUNKS_PER_THREAD = 4;

    private final ForkJoinPool pool;
    private final int threads;
    private final boolean vector;

    /**
     * @param vectorKernels run the CPU variants where a kernel has one; ignored with a warning when
     *                      the JVM lacks the Vector API module
     */
    public ParallelJavaEngine(int threads, boolean vectorKernels) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.vector = vectorKernels && vectorApiPresent(true);
        this.pool = new ForkJoinPool(threads);
    }

    /** True when the JVM was started with the Vector API module (the launcher and build add it). */
    public static boolean vectorApiPresent(boolean warnIfAbsent) {
        boolean present = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        if (!present && warnIfAbsent) {
            System.err.println("java-parallel: the JVM has no " + VECTOR_MODULE + " module (start it with --add-modules "
                    + VECTOR_MODULE + ", as scripts/relu-tornado does); running the plain kernels, which are slower.");
        }
        return present;
    }

    @Override
    public String name() {
        return "java-parallel";
    }

    @Override
    public String device() {
        return "JVM, " + threads + " threads (" + Runtime.getRuntime().availableProcessors() + " cores), "
                + (vector ? "Vector API kernels" : "plain kernels");
    }

    /** Whether CPU variants run where kernels have them. */
    public boolean vectorKernels() {
        return vector;
    }

    @Override
    public Session open(Program program) {
        Map<String, List<Step>> phases = new java.util.HashMap<>();
        for (var e : program.phases().entrySet()) {
            phases.put(e.getKey(), e.getValue().stream().map(this::substitute).toList());
        }
        return new Session() {
            @Override
            public void run(String phase) {
                List<Step> steps = phases.get(phase);
                if (steps == null) {
                    program.phase(phase); // throws, naming the phases
                }
                for (Step step : steps) {
                    runSplit(step.call(), step.cpuVariant() ? threads : threads * PLAIN_CHUNKS_PER_THREAD);
                }
            }

            @Override
            public void syncState() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** A call as this engine runs it. */
    private record Step(KernelCall call, boolean cpuVariant) {
    }

    /** The call with its kernel replaced by the CPU variant, if vector kernels are on and one exists. */
    private Step substitute(KernelCall call) {
        Optional<Method> variant = vector ? KernelVariants.cpu(call.method()) : Optional.empty();
        return variant.map(m -> new Step(call.withKernel(m, null), true)).orElseGet(() -> new Step(call, false));
    }

    /** The kernels this engine runs for a phase of a program, in order (after substituting CPU variants). */
    public List<Method> kernelsOf(Program program, String phase) {
        return program.phase(phase).stream().map(c -> substitute(c).call().method()).toList();
    }

    /** Runs the call's range as up to maxChunks contiguous chunks on the pool. */
    private void runSplit(KernelCall call, int maxChunks) {
        int start = call.start();
        int count = call.count();
        int chunks = Math.min(maxChunks, count);
        if (chunks <= 1 || threads == 1) {
            call.invoke();
            return;
        }
        List<RecursiveAction> parts = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int s = start + (int) ((long) count * c / chunks);
            int e = start + (int) ((long) count * (c + 1) / chunks);
            if (e > s) {
                Object[] args = call.argsForRange(s, e - s);
                parts.add(new RecursiveAction() {
                    @Override
                    protected void compute() {
                        call.invoke(args);
                    }
                });
            }
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(parts);
            }
        });
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
