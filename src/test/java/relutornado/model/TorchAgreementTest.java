package relutornado.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import relutornado.data.DatasetName;
import relutornado.engine.Engine;
import relutornado.engine.JavaEngine;
import relutornado.engine.ParallelJavaEngine;
import relutornado.kernels.Dropout;

/**
 * One training step of the four paper models against PyTorch: the fixtures under test/resources/agreement were
 * written by scripts/torch-agreement.sh (scripts/torch_agreement.py, which documents the generator, the Keras loss
 * and the Keras Adam step it computes). Each JVM engine runs the same step through {@link Network} (forward, head,
 * backward, Adam) from the same weights, batch and dropout masks; the loss, every row's loss, sampled gradient and
 * parameter entries and random-sign projections of every tensor's whole gradient and update must agree to
 * {@value #TOLERANCE} relative to max(1, |value|).
 */
class TorchAgreementTest {
    static final double TOLERANCE = 1e-4;
    /** The generator's seeds, as in scripts/torch_agreement.py: values are {@link Dropout#uniform}(seed, step, tensor, index). */
    static final int SEED_WEIGHTS = 1, SEED_INPUTS = 2, SEED_DROPOUT = 4, SEED_SIGNS = 5;
    static final int DROPOUT_STEP = 1;
    /** Padding rows past the fixture's batch: their inputs must add no loss and no gradient. */
    static final int PADDING = 2;
    static final List<String> MODELS = List.of("wdbc-ffnn", "mnist-ffnn", "cnn-16", "cnn-28");
    static final List<String> ENGINES = List.of("java", "java-parallel", "java-parallel-plain");

    /** One parameter tensor of a fixture: entries at {@code samples}, projections over all {@code size} entries. */
    record TensorFixture(String name, int size, int[] samples, double[] grad, double[] after, double[] gradProjections,
                         double[] updateProjections) {
    }

    /** What torch_agreement.py writes for one model and head. */
    record Fixture(String model, String head, int[] inputShape, int classes, int rows, int[] labels, double lr, double beta1,
                   double beta2, double epsilon, double loss, double[] rowLoss, int deadRows, int clippedLowRows,
                   int clippedHighRows, String torch, double torchOptimAdamDifference, List<TensorFixture> tensors) {
    }

    static Fixture load(String model, String head) {
        String path = "/agreement/" + model + "-" + head + ".json";
        try (InputStream in = TorchAgreementTest.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing test resource " + path + ": run scripts/torch-agreement.sh");
            return new Gson().fromJson(new InputStreamReader(in, StandardCharsets.UTF_8), Fixture.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    static ModelSpec spec(String model, Head head) {
        return switch (model) {
            case "wdbc-ffnn" -> ModelSpec.ffnn(DatasetName.WDBC, 30, 2, head);
            case "mnist-ffnn" -> ModelSpec.ffnn(DatasetName.MNIST, 256, 10, head);
            case "cnn-16" -> ModelSpec.cnn(1, 16, 16, 10, head);
            case "cnn-28" -> ModelSpec.cnn(1, 28, 28, 10, head);
            default -> throw new IllegalArgumentException("no model " + model);
        };
    }

    static Engine engine(String name) {
        return switch (name) {
            case "java" -> new JavaEngine();
            case "java-parallel" -> new ParallelJavaEngine(3, true);
            case "java-parallel-plain" -> new ParallelJavaEngine(3, false);
            default -> throw new IllegalArgumentException("no engine " + name);
        };
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String engine : ENGINES) {
            for (String model : MODELS) {
                for (Head head : Head.values()) {
                    cases.add(Arguments.of(engine, model, head));
                }
            }
        }
        return cases.stream();
    }

    /** Glorot-uniform weights from the generator, zero biases (Keras' initialisers), tensor t in layout order. */
    static void setWeights(Network net) {
        List<ParamLayout.Tensor> tensors = net.layout().tensors();
        for (int t = 0; t < tensors.size(); t++) {
            ParamLayout.Tensor tensor = tensors.get(t);
            double limit = Math.sqrt(6.0 / ((double) tensor.fanIn() + tensor.fanOut()));
            for (int i = 0; i < tensor.size(); i++) {
                net.params[tensor.offset() + i] = tensor.bias() ? 0f : (float) ((2.0 * Dropout.uniform(SEED_WEIGHTS, 0, t, i) - 1) * limit);
            }
        }
    }

    /** The largest relative difference seen so far and where. */
    static final class Worst {
        double diff = 0;
        String where = "nothing compared";

        void compare(String what, double java, double torch) {
            double d = Math.abs(java - torch) / Math.max(1.0, Math.abs(torch));
            if (!(d <= diff)) { // NaN counts as worse than anything
                diff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                where = what + ": java " + java + ", torch " + torch;
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2} head")
    @MethodSource("cases")
    void oneTrainingStepAgreesWithPyTorch(String engineName, String model, Head head) {
        try (Engine engine = engine(engineName)) {
            assertAgrees(engine, engineName, model, head, true);
        }
    }

    /**
     * Runs the fixture's step on the engine and asserts the agreement, printing the figure. A device engine's gradient
     * slab stays on the device ({@code gradsOnHost} false): then the loss and the parameters after Adam are compared.
     */
    static void assertAgrees(Engine engine, String engineName, String model, Head head, boolean gradsOnHost) {
        Fixture f = load(model, head.toString());
        ModelSpec spec = spec(model, head);
        assertArrayEquals(spec.inputShape(), f.inputShape(), "input shape");
        int n = f.rows(), F = spec.inputs();
        Network net = new Network(spec, n + PADDING);
        setWeights(net);
        for (int r = 0; r < n + PADDING; r++) {
            for (int i = 0; i < F; i++) {
                // row 0 all zeros (a dead row for the ReLU head); padding rows large, to show they count for nothing
                float value = (float) ((2.0 * Dropout.uniform(SEED_INPUTS, 0, 0, r * F + i) - 1) * Math.sqrt(3.0));
                net.x[r * F + i] = r == 0 ? 0f : r >= n ? 50f : value;
            }
            net.labels[r] = r < n ? f.labels()[r] : 0;
        }
        net.valid[0] = n;
        net.rng[0] = SEED_DROPOUT;
        net.rng[1] = DROPOUT_STEP;
        net.adamStep(f.lr(), f.beta1(), f.beta2(), f.epsilon(), 1);
        float[] before = net.params.clone();
        try (Engine.Session s = engine.open(net.program())) {
            s.run(Network.TRAIN);
            s.syncState();
        }

        Worst worst = new Worst();
        double loss = 0;
        int dead = 0;
        for (int r = 0; r < n; r++) {
            loss += net.rowLoss[r];
            dead += net.rowDead[r];
            worst.compare("row " + r + " loss", net.rowLoss[r], f.rowLoss()[r]);
        }
        worst.compare("batch loss", loss / n, f.loss());
        assertEquals(f.deadRows(), dead, "rows with every ReLU-head output dead");

        List<ParamLayout.Tensor> tensors = net.layout().tensors();
        assertEquals(f.tensors().size(), tensors.size(), "parameter tensors");
        for (int t = 0; t < tensors.size(); t++) {
            ParamLayout.Tensor tensor = tensors.get(t);
            TensorFixture tf = f.tensors().get(t);
            assertEquals(tf.name(), tensor.name(), "tensor " + t + " in layout order");
            assertEquals(tf.size(), tensor.size(), tensor.name() + " size");
            int off = tensor.offset();
            for (int s = 0; s < tf.samples().length; s++) {
                int i = tf.samples()[s];
                if (gradsOnHost) {
                    worst.compare(tensor.name() + " gradient [" + i + "]", net.grads[off + i], tf.grad()[s]);
                }
                worst.compare(tensor.name() + " after Adam [" + i + "]", net.params[off + i], tf.after()[s]);
            }
            for (int k = 0; k < tf.gradProjections().length; k++) {
                double g = 0, u = 0;
                for (int i = 0; i < tensor.size(); i++) {
                    double sign = Dropout.uniform(SEED_SIGNS, k, t, i) >= 0.5f ? 1 : -1;
                    g += sign * net.grads[off + i];
                    u += sign * ((double) net.params[off + i] - before[off + i]);
                }
                if (gradsOnHost) {
                    worst.compare(tensor.name() + " gradient projection " + k, g, tf.gradProjections()[k]);
                }
                worst.compare(tensor.name() + " update projection " + k, u, tf.updateProjections()[k]);
            }
        }
        System.out.printf("torch agreement, %s, %s, %s head: max relative difference %.3e (tolerance %.0e; worst %s)%n", engineName,
                model, head, worst.diff, TOLERANCE, worst.where);
        assertTrue(worst.diff <= TOLERANCE, engineName + ", " + model + ", " + head + " head: relative difference " + worst.diff
                + " > " + TOLERANCE + " at " + worst.where);
    }

    /** The batches must reach the cases the ReLU head treats specially, or the comparison would not cover them. */
    @Test
    void fixturesReachDeadRowsAndBothClips() {
        int low = 0, high = 0;
        for (String model : MODELS) {
            Fixture f = load(model, "relu");
            assertTrue(f.deadRows() >= 1, model + ": no dead row in the ReLU-head batch");
            low += f.clippedLowRows();
            high += f.clippedHighRows();
        }
        assertTrue(low >= 1 && high >= 1, "ReLU-head batches clip p[y] low in " + low + " rows, high in " + high);
    }
}
