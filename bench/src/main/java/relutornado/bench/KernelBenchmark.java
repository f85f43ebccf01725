package relutornado.bench;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import relutornado.engine.Engine;
import relutornado.engine.KernelCall;
import relutornado.engine.Program;

/**
 * One kernel per invocation, run through an engine exactly as training runs it (a one-call program;
 * on TornadoVM every array is resident, so the figure is the kernel, not the transfers). The work per
 * invocation ({@link KernelCase#flops()}, {@link KernelCase#bytes()}) is counted from the shapes;
 * scripts/bench.sh turns ops/s into GFLOP/s or GB/s and ratios against {@code java}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class KernelBenchmark {
    /** A {@link KernelCase} name. */
    @Param({"dense_fwd_256x256x512", "dense_fwd_256x512x512", "dense_bwd_in_256x512x512", "dense_bwd_w_256x512x512",
            "conv_fwd_256x32x26x26_32k3", "conv_bwd_in_256x32x26x26_32k3", "conv_bwd_w_256x32x26x26_32k3",
            "softmax_head_256x10", "relu_head_256x10", "adam_ffnn"})
    public String kernel;
    @Param({"java", "java-parallel-plain", "java-parallel"})
    public String engine;
    /** TornadoVM device (backend:device) for engine=tornado. */
    @Param({""})
    public String device;

    private Engine eng;
    private Engine.Session session;

    @Setup(Level.Trial)
    public void setUp() {
        KernelCase c = KernelCase.of(kernel);
        Program program = new Program("bench-" + kernel);
        Random rnd = new Random(7);
        List<Object> arrays = c.arrays();
        for (int i = 0; i < arrays.size(); i++) {
            Object a = arrays.get(i);
            if (a instanceof float[] f) {
                for (int j = 0; j < f.length; j++) {
                    f[j] = (float) Math.abs(rnd.nextGaussian()) * 0.1f; // non-negative: Adam's v
                }
            }
            program.buffer("a" + i, a, Program.Role.STATE);
        }
        KernelCall call = c.call();
        program.phase("run", List.of(call));
        eng = BenchEngines.create(engine, device);
        session = eng.open(program);
        session.run("run");
    }

    @Benchmark
    public void run() {
        session.run("run");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        eng.close();
    }
}
