package relutornado.bench;

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
import relutornado.engine.EngineOptions;
import relutornado.engine.Engines;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;

/**
 * One training step (forward, backward, Adam) of the paper's MNIST FFNN (256 → 512×3 → 10, batch 256)
 * per engine. Samples/s = ops/s × 256; compare engines as ratios against {@code java} in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class StepBenchmark {
    @Param({"java", "java-parallel"})
    public String engine;
    @Param({"softmax", "relu"})
    public String head;
    @Param({""})
    public String device;

    private Engine eng;
    private Engine.Session session;
    private Network net;

    @Setup(Level.Trial)
    public void setUp() {
        eng = Engines.create(new EngineOptions(engine, device.isEmpty() ? null : device,
                Runtime.getRuntime().availableProcessors(), false));
        net = new Network(ModelSpec.ffnn("mnist", 256, 10, Head.parse(head)), 256);
        net.initialise(10);
        Random rnd = new Random(1);
        for (int i = 0; i < net.x.length; i++) {
            net.x[i] = (float) rnd.nextGaussian();
        }
        for (int r = 0; r < net.labels.length; r++) {
            net.labels[r] = rnd.nextInt(10);
        }
        net.valid[0] = 256;
        net.rng[0] = 10;
        net.adamStep(1e-3, 0.9, 0.999, 1e-8, 1);
        session = eng.open(net.program());
    }

    @Benchmark
    public float trainStep() {
        net.rng[1]++;
        session.run(Network.TRAIN);
        return net.rowLoss[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        eng.close();
    }
}
