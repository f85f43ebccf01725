package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import relutornado.kernels.Activation;
import relutornado.kernels.ActivationCpu;
import relutornado.kernels.Adam;
import relutornado.kernels.AdamCpu;
import relutornado.kernels.Conv2dCpu;
import relutornado.kernels.Conv2dDevice;
import relutornado.kernels.Dense;
import relutornado.kernels.DenseCpu;
import relutornado.kernels.DenseDevice;
import relutornado.kernels.DropoutCpu;
import relutornado.kernels.Linalg;
import relutornado.kernels.LinalgCpu;
import relutornado.kernels.LinalgDevice;
import relutornado.kernels.Loss;
import relutornado.kernels.MaxPoolCpu;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;

/** The registry of variants says what runs where, resolves every variant, and the engines use it. */
class KernelVariantsTest {

    /** The whole table: a renamed, missing or unregistered variant changes it and fails here. */
    @Test
    void registryMapsEachMatrixKernelToItsCpuAndDeviceVariant() {
        Map<String, String> got = new TreeMap<>();
        for (KernelVariants.Entry e : KernelVariants.entries()) {
            got.put(e.name(), KernelCall.describe(e.cpu()) + " | " + (e.device() == null ? "-" : KernelCall.describe(e.device())));
            assertEquals(e.kernel().getName(), e.cpu().getName());
            assertTrue(Arrays.equals(e.kernel().getParameterTypes(), e.cpu().getParameterTypes()), e.name());
            assertTrue(e.device() == null || Arrays.equals(e.kernel().getParameterTypes(), e.device().getParameterTypes()), e.name());
        }
        Map<String, String> want = new TreeMap<>(Map.ofEntries(
                Map.entry("Conv2d.backwardBias", "Conv2dCpu.backwardBias | -"),
                Map.entry("Activation.reluForward", "ActivationCpu.reluForward | -"),
                Map.entry("Activation.reluBackward", "ActivationCpu.reluBackward | -"),
                Map.entry("Dropout.forward", "DropoutCpu.forward | -"),
                Map.entry("Dropout.backward", "DropoutCpu.backward | -"),
                Map.entry("MaxPool.forward2x2", "MaxPoolCpu.forward2x2 | -"),
                Map.entry("MaxPool.backward2x2", "MaxPoolCpu.backward2x2 | -"),
                Map.entry("Dense.backwardBias", "DenseCpu.backwardBias | -"),
                Map.entry("Adam.update", "AdamCpu.update | -"),
                Map.entry("Linalg.gramAccumulate", "LinalgCpu.gramAccumulate | LinalgDevice.gramAccumulate")));
        want.putAll(Map.of(
                "Dense.forward", "DenseCpu.forward | DenseDevice.forward",
                "Dense.backwardInput", "DenseCpu.backwardInput | DenseDevice.backwardInput",
                "Dense.backwardWeights", "DenseCpu.backwardWeights | DenseDevice.backwardWeights",
                "Conv2d.forward", "Conv2dCpu.forward | Conv2dDevice.forward",
                "Conv2d.backwardInput", "Conv2dCpu.backwardInput | Conv2dDevice.backwardInput",
                "Conv2d.backwardWeights", "Conv2dCpu.backwardWeights | Conv2dDevice.backwardWeights"));
        assertEquals(want, got);
    }

    /** Every kernel-shaped public method of a variant class is in the registry (none is dead code, none found by name). */
    @Test
    void everyVariantMethodIsRegistered() {
        List<Method> registered = new ArrayList<>();
        KernelVariants.entries().forEach(e -> {
            registered.add(e.cpu());
            registered.add(e.device());
        });
        for (Class<?> c : List.of(DenseCpu.class, Conv2dCpu.class, LinalgCpu.class, ActivationCpu.class, DropoutCpu.class, MaxPoolCpu.class, AdamCpu.class,
                DenseDevice.class, Conv2dDevice.class, LinalgDevice.class)) {
            for (Method m : c.getDeclaredMethods()) {
                Class<?>[] t = m.getParameterTypes();
                boolean kernelShaped = Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                        && t.length > 2 && t[t.length - 1] == int.class && t[t.length - 2] == int.class && t[0] == float[].class;
                if (kernelShaped) {
                    assertTrue(registered.contains(m), KernelCall.describe(m) + " is not in KernelVariants");
                }
            }
        }
    }

    @Test
    void aKernelWithoutVariantsRunsAsWrittenEverywhere() {
        var loss = KernelCall.of("l", Loss.class, "softmaxBackward", new float[1], new float[1], new int[1], new int[1], 1, 0, 1);
        assertTrue(KernelVariants.cpu(loss.method()).isEmpty());
        assertSame(loss, KernelVariants.device(loss));
        var adam = KernelCall.of("a", Adam.class, "update", new float[1], new float[1], new float[1], new float[1], new float[4], 0, 1);
        assertTrue(KernelVariants.cpu(adam.method()).isPresent(), "a CPU variant only");
        assertNull(KernelVariants.device(adam).launch());
        var relu = KernelCall.of("r", Activation.class, "reluForward", new float[1], new float[1], 0, 1);
        assertTrue(KernelVariants.cpu(relu.method()).isPresent(), "a CPU variant only");
        assertSame(relu, KernelVariants.device(relu));
    }

    /** The device call keeps its name and arguments and carries the register-tile grid: ⌈OC/4⌉ × ⌈rows/4⌉. */
    @Test
    void deviceVariantCarriesItsLaunchGeometry() {
        int N = 9, C = 5, OC = 10;
        var fwd = KernelCall.of("dense0_fwd", Dense.class, "forward", new float[N * OC], new float[N * C], new float[C * OC + OC], 0, C * OC, C, OC, 0, N);
        KernelCall dev = KernelVariants.device(fwd);
        assertEquals(DenseDevice.class, dev.method().getDeclaringClass());
        assertEquals("dense0_fwd", dev.name());
        assertTrue(Arrays.equals(fwd.args(), dev.args()));
        assertTrue(Arrays.equals(new long[] {3, 3}, dev.launch().global()), dev.launch().toString());
        assertNull(dev.launch().local());
        assertFalse(dev.launch().kernelContext());
        // local sizes round the global sizes up to whole work-groups
        assertTrue(Arrays.equals(new long[] {8, 4}, dev.launch().withLocal(8, 4).global()));
        assertThrows(IllegalArgumentException.class, () -> Launch.of(0, 3));
        var gram = KernelCall.of("gram", Linalg.class, "gramAccumulate", new float[49], new float[21], 3, 7, 0, 7);
        assertTrue(Arrays.equals(new long[] {2, 2}, KernelVariants.device(gram).launch().global()));
    }

    /** java-parallel runs the registered CPU variants (Conv2dCpu, DenseCpu, LinalgCpu, the memory-bound passes') in their kernels' place. */
    @Test
    void parallelEngineSubstitutesTheRegisteredCpuVariants() {
        if (!ParallelJavaEngine.vectorApiPresent()) {
            throw new AssertionError("tests run with --add-modules jdk.incubator.vector (see pom.xml)");
        }
        Network cnn = new Network(ModelSpec.cnn(1, 16, 16, 10, Head.SOFTMAX), 4);
        try (ParallelJavaEngine vector = new ParallelJavaEngine(2, true); ParallelJavaEngine plain = new ParallelJavaEngine(2, false)) {
            List<String> ran = vector.kernelsOf(cnn.program(), Network.TRAIN).stream().map(KernelCall::describe).toList();
            assertTrue(ran.contains("Conv2dCpu.forward") && ran.contains("Conv2dCpu.backwardInput") && ran.contains("Conv2dCpu.backwardWeights"), ran.toString());
            assertTrue(ran.contains("DenseCpu.forward") && ran.contains("DenseCpu.backwardWeights"), ran.toString());
            assertFalse(ran.contains("Conv2d.forward") || ran.contains("Dense.forward"), ran.toString());
            assertTrue(ran.contains("Conv2dCpu.backwardBias") && ran.contains("MaxPoolCpu.backward2x2")
                    && ran.contains("ActivationCpu.reluBackward") && ran.contains("DropoutCpu.forward"), ran.toString());
            assertTrue(ran.contains("DenseCpu.backwardBias") && ran.contains("AdamCpu.update"), ran.toString());
            assertTrue(ran.contains("Loss.softmaxForward"), "kernels without a variant stay: " + ran);
            List<String> plainRan = plain.kernelsOf(cnn.program(), Network.TRAIN).stream().map(KernelCall::describe).toList();
            assertTrue(plainRan.stream().noneMatch(n -> n.contains("Cpu.")), plainRan.toString());

            Program pca = new Program("pca");
            float[] gram = pca.buffer("gram", new float[9], Program.Role.STATE);
            float[] chunk = pca.buffer("chunk", new float[6], Program.Role.INPUT);
            pca.phase("run", List.of(KernelCall.of("gram", Linalg.class, "gramAccumulate", gram, chunk, 2, 3, 0, 3)));
            assertEquals(List.of("LinalgCpu.gramAccumulate"), vector.kernelsOf(pca, "run").stream().map(KernelCall::describe).toList());
        }
    }
}
