package relutornado.engine;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import relutornado.engine.tuning.JvmTuning;
import relutornado.engine.tuning.TunedKernels;
import relutornado.engine.tuning.TuningFile;

/**
 * Multi-core JVM engine: splits each kernel's {@code (start, count)} range into contiguous chunks run by a team of
 * {@code --threads} threads (the caller and {@code threads − 1} helpers, see {@link Team}).
 * <p>
 * With vector kernels (the default) a kernel that has a CPU variant in {@link KernelVariants} (e.g.
 * {@code DenseCpu.forward}: packed Vector API GEMM) runs that instead, on {@code -Drelutornado.parallel.chunks} chunks per thread (default 1); the variants are tested equal to the plain kernels to 1e-5 relative.
 * With plain kernels (which need no {@code --add-modules jdk.incubator.vector}) it runs the {@code @Parallel} kernels themselves; they write disjoint outputs per range element, so the
 * result is the sequential engine's bit for bit.
 */
public final class ParallelJavaEngine implements Engine {
    /** The Vector API module the CPU variants need. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Chunks per thread for plain kernels: some slack for uneven chunks. */
    private static final int PLAIN_CHUNKS_PER_THREAD = 4;
    /** The system property: chunks per thread for the CPU variants (packed GEMMs; fewer chunks, less packing). */
    public static final String CHUNKS_PROPERTY = "relutornado.parallel.chunks";
    /** The system property: spins of a waiting member before it parks. */
    public static final String SPINS_PROPERTY = "relutornado.parallel.spins";
    /** Chunks per thread for the CPU variants: more than one lets a thread on a core shared with another process take fewer. */
    static final int CPU_CHUNKS_PER_THREAD = positive(CHUNKS_PROPERTY, 1);

    private final Team team;
    private final int threads;
    private final boolean vector;

    /**
     * @param vectorKernels run the CPU variants where a kernel has one (the JVM must have the Vector API module)
     */
    public ParallelJavaEngine(int threads, boolean vectorKernels) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        // the plain kernels need no Vector API; the launcher adds the module only where it is needed (it costs a
        // JVM warning line on every start), so a JVM without it is told which flag it lacks rather than run slower
        if (vectorKernels && !vectorApiPresent()) {
            throw new IllegalStateException("--engine java-parallel --cpu-kernels vector (the default) needs the Vector API: start "
                    + "Java with --add-modules " + VECTOR_MODULE + " (scripts/relu-tornado does), or pass --cpu-kernels plain");
        }
        this.vector = vectorKernels;
        this.team = threads > 1 ? new Team(threads) : null;
    }

    /**
     * The engine as the CLI makes it: with vector kernels the GEMM tile is chosen first ({@link JvmTuning#install}:
     * -D properties, else {@code tuning} or this CPU's file under {@code tuning/}, else the width rule).
     */
    public static ParallelJavaEngine tuned(int threads, boolean vectorKernels, java.nio.file.Path tuning) {
        ParallelJavaEngine e = new ParallelJavaEngine(threads, vectorKernels);
        if (vectorKernels) {
            try {
                JvmTuning.install(tuning, TuningFile.DEFAULT_DIR, System.err);
            } catch (java.io.IOException ex) {
                e.close();
                throw new java.io.UncheckedIOException("cannot read java-parallel's tuning file: " + ex.getMessage(), ex);
            } catch (RuntimeException ex) {
                e.close();
                throw ex;
            }
        }
        return e;
    }

    /** True when the JVM was started with the Vector API module (the launcher and build add it). */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    @Override
    public String name() {
        return "java-parallel";
    }

    @Override
    public String device() {
        return "JVM, " + threads + " threads (" + Runtime.getRuntime().availableProcessors() + " cores), "
                + (vector ? "Vector API kernels, GEMM tile " + JvmTuning.current().describe() : "plain kernels");
    }

    /** With vector kernels, the GEMM tile and where it came from (run.json); null with plain kernels. */
    @Override
    public TunedKernels.Record kernelChoices() {
        return vector ? JvmTuning.current().record() : null;
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
                if (team == null) {
                    steps.forEach(step -> step.call().invoke());
                } else {
                    team.run(steps);
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

    /**
     * The threads that run a phase: the caller and {@code size − 1} helpers claim the chunks of the current step one
     * by one; whoever completes its last chunk publishes the next step, so a step reads what the one before wrote.
     * Nobody waits for a member that has not turned up: on a core shared with another process a descheduled helper
     * costs the step only the chunk it holds, where a barrier of all members would wait for its next time slice at
     * every step. A member with nothing to claim spins briefly, then parks; each published step unparks the others.
     * A ForkJoin pool per call did the same work, but handing each call to its workers cost more than most kernels
     * compute (docs/speed.md).
     */
    private static final class Team {
        /**
         * Spins before a waiting member parks. Longer spins (2^14) were no faster on an idle machine and, with a core
         * taken by another process, made the FFNN step far slower (docs/speed.md).
         */
        private static final int SPINS = positive(SPINS_PROPERTY, 1 << 10);
        private final int size;
        private final Thread[] helpers;
        /** Member m's thread: the caller of the current run at 0, the helpers after it. */
        private final Thread[] members;
        /** The step being worked on, or a finished marker between runs; each step is a new object. */
        private volatile Stage current = Stage.idle();
        private volatile boolean shutdown;
        private volatile Throwable failure;

        /**
         * One step of a run: its chunks are claimed from and counted in this object, so a member that read an older
         * stage claims nothing from it. {@code step == null}: the run is over.
         */
        private static final class Stage {
            final List<Step> steps;
            final int index;
            final Step step;
            final int chunks;
            final AtomicInteger claimed = new AtomicInteger();
            final AtomicInteger done = new AtomicInteger();

            Stage(List<Step> steps, int index, int size) {
                this.steps = steps;
                this.index = index;
                this.step = index < steps.size() ? steps.get(index) : null;
                int perThread = step != null && step.cpuVariant() ? CPU_CHUNKS_PER_THREAD : PLAIN_CHUNKS_PER_THREAD;
                this.chunks = step == null ? 0 : Math.max(1, Math.min(size * perThread, step.call().count()));
            }

            static Stage idle() {
                return new Stage(List.of(), 0, 1);
            }
        }

        Team(int size) {
            this.size = size;
            this.helpers = new Thread[size - 1];
            this.members = new Thread[size];
            for (int t = 1; t < size; t++) {
                Thread h = new Thread(this::helperLoop, "java-parallel-" + t);
                h.setDaemon(true);
                helpers[t - 1] = h;
                members[t] = h;
                h.start();
            }
        }

        /** Runs the steps with whichever members turn up; the caller is one. Rethrows the first failure of any member. */
        synchronized void run(List<Step> phase) {
            members[0] = Thread.currentThread();
            failure = null;
            publish(new Stage(phase, 0, size));
            while (true) {
                Stage st = current;
                if (st.step == null) {
                    break;
                }
                if (!work(st)) {
                    await(st);
                }
            }
            Throwable f = failure;
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }

        private void helperLoop() {
            while (!shutdown) {
                Stage st = current;
                if (st.step == null || !work(st)) {
                    await(st);
                }
            }
        }

        /**
         * Claims and runs chunks of the stage until none is left; the member that completes its last chunk publishes
         * the next. False when this member found nothing to claim.
         */
        private boolean work(Stage st) {
            boolean any = false;
            for (int c = st.claimed.getAndIncrement(); c < st.chunks; c = st.claimed.getAndIncrement()) {
                any = true;
                KernelCall call = st.step.call();
                // the chunk bounds depend only on the count, so the results do not depend on who ran which chunk
                int s = call.start() + (int) ((long) call.count() * c / st.chunks);
                int e = call.start() + (int) ((long) call.count() * (c + 1) / st.chunks);
                try {
                    if (st.chunks == 1) {
                        call.invoke();
                    } else if (e > s) {
                        call.invoke(call.argsForRange(s, e - s));
                    }
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                }
                if (st.done.incrementAndGet() == st.chunks) {
                    publish(new Stage(st.steps, st.index + 1, size));
                }
            }
            return any;
        }

        private void publish(Stage next) {
            current = next;
            Thread self = Thread.currentThread();
            for (Thread m : members) {
                if (m != null && m != self) {
                    LockSupport.unpark(m);
                }
            }
        }

        /** Waits until another stage is published (or the team shuts down): spins, then parks. */
        private void await(Stage st) {
            int spins = 0;
            while (current == st && !shutdown) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }

        void close() {
            shutdown = true;
            for (Thread h : helpers) {
                LockSupport.unpark(h);
            }
        }
    }

    @Override
    public void close() {
        if (team != null) {
            team.close();
        }
    }

    private static int positive(String property, int fallback) {
        int v = Integer.getInteger(property, fallback);
        if (v < 1) {
            throw new IllegalArgumentException("-D" + property + " must be a positive integer, got " + v);
        }
        return v;
    }
}
