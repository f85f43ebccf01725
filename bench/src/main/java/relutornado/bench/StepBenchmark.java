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
import relutornado.data.DatasetName;
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
        net = new Network(model(model, Head.valueOf(head.toUpperCase(java.util.Locale.ROOT))), BATCH);
        net.initialise(10);
        Random rnd = new Random(1);
        for (int i = 0; i < net.x.length; i++) {
            net.x[i] = (float) rnd.nextGaussian();
        }
        for (int r = 0; r < net.labels.length; r++) {
            net.labels[r] = rnd.nextInt(10);
        }
        net.valid[0] = BATCH;
        net.rng[0] = 10;
        net.adamStep(1e-3, 0.9, 0.999, 1e-8, 1);
        session = eng.open(net.program());
    }

    static ModelSpec model(String name, Head head) {
        return switch (name) {
            case "ffnn" -> ModelSpec.ffnn(DatasetName.MNIST, 256, 10, head);
            case "cnn-pca" -> ModelSpec.cnn(1, 16, 16, 10, head);
            case "cnn-pixels" -> ModelSpec.cnn(1, 28, 28, 10, head);
            default -> throw new IllegalArgumentException("-p model must be ffnn, cnn-pca or cnn-pixels, got '" + name + "'");
        };
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
