package relutornado.bench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import relutornado.check.DeviceCheck;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.model.Head;
import relutornado.model.Network;

/**
 * Where one training step of a paper model spends its time, call by call, on one thread with the CPU variants
 * that {@code java-parallel} runs (the plain kernel where there is none): what to speed up next, and by how much a
 * change moved each call (single-threaded and in thread CPU time, so a shared machine's other work disturbs it least).
 * <pre>usage: java --add-modules jdk.incubator.vector -cp benchmarks.jar relutornado.bench.StepProfile [MODEL] [STEPS]
 *   MODEL: ffnn, cnn-pca (default), cnn-pixels (StepBenchmark's models, batch 256, softmax head)</pre>
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "cnn-pca";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Network net = DeviceCheck.stepNetwork(StepBenchmark.model(model, Head.SOFTMAX), StepBenchmark.BATCH);
        List<KernelCall> calls = new ArrayList<>();
        for (KernelCall c : net.program().phase(Network.TRAIN)) {
            Method m = KernelVariants.cpu(c.method()).orElse(c.method());
            calls.add(new KernelCall(c.name(), m, c.args()));
        }
        // this thread's CPU time, not wall time: on a shared machine other processes' work stays out of the figures
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] nanos = new long[calls.size()];
        // warm-up: half as many steps as are timed, at least 10 (a kernel called once a step, the first layer's, is
        // still being compiled after a few, and would read slow)
        for (int s = -Math.max(10, steps / 2); s < steps; s++) {
            net.rng[1]++;
            for (int i = 0; i < calls.size(); i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                calls.get(i).invoke();
                if (s >= 0) {
                    nanos[i] += mx.getCurrentThreadCpuTime() - t0;
                }
            }
        }
        long total = java.util.Arrays.stream(nanos).sum();
        System.out.printf(Locale.ROOT, "%s, batch %d, 1 thread, %d steps: %.2f ms/step of CPU time, %.0f samples/s per core%n", model,
                StepBenchmark.BATCH, steps, total / 1e6 / steps, StepBenchmark.BATCH * steps / (total / 1e9));
        for (int i = 0; i < calls.size(); i++) {
            System.out.printf(Locale.ROOT, "  %-16s %-28s %8.3f ms %5.1f %%%n", calls.get(i).name(),
                    calls.get(i).method().getDeclaringClass().getSimpleName() + "." + calls.get(i).method().getName(),
                    nanos[i] / 1e6 / steps, 100.0 * nanos[i] / total);
        }
    }
}
