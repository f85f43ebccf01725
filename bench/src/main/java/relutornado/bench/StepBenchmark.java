package relutornado.bench;

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
import relutornado.check.DeviceCheck;
import relutornado.engine.Engine;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;

/**
 * One training step (forward, backward, Adam) of a paper model at batch 256, per engine:
 * {@code ffnn} = the MNIST FFNN (256 PCA inputs → 512×3 → 10), {@code cnn-pca} = the paper's CNN on the 256 PCA
 * coefficients as a 16×16 image, {@code cnn-pixels} = the same CNN on 28×28 pixels. Samples/s = ops/s × 256;
 * scripts/bench.sh reports them as ratios against {@code java} from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class StepBenchmark {
    public static final int BATCH = 256;

    @Param({"ffnn", "cnn-pca", "cnn-pixels"})
    public String model;
    @Param({"java", "java-parallel-plain", "java-parallel"})
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
        eng = BenchEngines.create(engine, device);
        net = DeviceCheck.stepNetwork(model(model, Head.valueOf(head.toUpperCase(java.util.Locale.ROOT))), BATCH);
        session = eng.open(net.program());
    }

    /** DeviceCheck's models: ffnn, cnn-pca, cnn-pixels. */
    static ModelSpec model(String name, Head head) {
        return DeviceCheck.model(name, head);
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
