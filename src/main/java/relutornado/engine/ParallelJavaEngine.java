package relutornado.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Multi-core JVM engine: splits each kernel's {@code (start, count)} range into contiguous chunks
 * run on a ForkJoin pool. Kernels write disjoint outputs per range element, so the result is the
 * sequential one bit for bit.
 */
public final class ParallelJavaEngine implements Engine {
    /** Below this many range elements per chunk the split costs more than it saves. */
    private static final int MIN_CHUNK = 1;

    private final ForkJoinPool pool;
    private final int threads;

    public ParallelJavaEngine(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = new ForkJoinPool(threads);
    }

    @Override
    public String name() {
        return "java-parallel";
    }

    @Override
    public String device() {
        return "JVM, " + threads + " threads (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    @Override
    public Session open(Program program) {
        return new Session() {
            @Override
            public void run(String phase) {
                for (KernelCall call : program.phase(phase)) {
                    runSplit(call);
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

    private void runSplit(KernelCall call) {
        int start = call.start();
        int count = call.count();
        int chunks = Math.min(threads * 4, Math.max(1, count / MIN_CHUNK));
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
