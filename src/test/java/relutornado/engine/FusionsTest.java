package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import relutornado.check.DeviceCheck;
import relutornado.kernels.Activation;
import relutornado.kernels.Dropout;
import relutornado.model.Head;
import relutornado.model.Network;

class FusionsTest {

    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = switch (i % 7) {
                case 0 -> 0.0f;
                case 1 -> -0.0f;
                default -> (float) r.nextGaussian();
            };
        }
        return a;
    }

    @Test
    void theFusedKernelsGiveThePairsFloatsOnOddRangesAndSubRanges() {
        int[] rng = {7, 123};
        for (int[] range : new int[][] {{0, 1}, {0, 15}, {0, 16}, {0, 17}, {3, 37}, {5, 250}, {0, 4099}}) {
            int start = range[0], count = range[1], n = start + count + 3;
            float[] in = values(n, count);
            float[] relu = new float[n], out = new float[n], mask = new float[n];
            Activation.reluForward(relu, in, start, count);
            Dropout.forward(out, mask, relu, rng, 4, 0.25f, start, count);
            float[] fusedOut = new float[n], fusedMask = new float[n];
            Dropout.reluForward(fusedOut, fusedMask, in, rng, 4, 0.25f, start, count);
            assertArrayEquals(mask, fusedMask, "mask, range " + start + "+" + count);
            assertArrayEquals(out, fusedOut, "out, range " + start + "+" + count);

            float[] dOut = values(n, count + 1L);
            float[] dDrop = new float[n], dIn = new float[n], fusedDIn = new float[n];
            Dropout.backward(dDrop, dOut, mask, start, count);
            Activation.reluBackward(dIn, dDrop, in, start, count);
            Dropout.reluBackward(fusedDIn, dOut, mask, in, start, count);
            assertArrayEquals(dIn, fusedDIn, "dIn, range " + start + "+" + count);
        }
    }

    @Test
    void theFfnnTrainStepFusesEachReluAndDropoutAndRunsToTheSameBits() {
        Network plain = DeviceCheck.stepNetwork(DeviceCheck.model("ffnn", Head.SOFTMAX), 37);
        Network fused = DeviceCheck.stepNetwork(DeviceCheck.model("ffnn", Head.SOFTMAX), 37);
        List<KernelCall> calls = Fusions.fuse(fused.program(), Network.TRAIN);
        int pairs = plain.program().phase(Network.TRAIN).size() - calls.size();
        // three hidden layers: relu+dropout forward and dropout+relu backward each
        assertEquals(6, pairs, calls.toString());
        assertEquals(6, calls.stream().filter(c -> c.name().contains("+")).count());
        assertEquals(fused.program().phase(Network.EVAL), Fusions.fuse(fused.program(), Network.EVAL), "eval has no dropout: nothing fused");
        for (int step = 0; step < 2; step++) {
            plain.rng[1]++;
            fused.rng[1]++;
            plain.program().phase(Network.TRAIN).forEach(KernelCall::invoke);
            calls.forEach(KernelCall::invoke);
            assertArrayEquals(plain.params, fused.params, "params after step " + step);
            assertArrayEquals(plain.rowLoss, fused.rowLoss, "loss, step " + step);
        }
    }

    @Test
    void thePaperCnnFusesItsDenseLayersPairOnly() {
        Network net = DeviceCheck.stepNetwork(DeviceCheck.model("cnn-pca", Head.RELU), 5);
        List<KernelCall> calls = Fusions.fuse(net.program(), Network.TRAIN);
        // the convolutions' ReLUs go on to a convolution or a max-pool; only dense(256) → relu → dropout(0.5) fuses
        assertEquals(net.program().phase(Network.TRAIN).size() - 2, calls.size());
    }

    @Test
    void aPairIsNotFusedWhenAnythingElseReadsTheArrayBetweenThem() {
        float[] x = new float[32], h = new float[32], out = new float[32], mask = new float[32], seen = new float[32];
        int[] rng = {1, 2};
        KernelCall relu = KernelCall.of("relu_fwd", Activation.class, "reluForward", h, x, 0, 32);
        KernelCall drop = KernelCall.of("drop_fwd", Dropout.class, "forward", out, mask, h, rng, 1, 0.5f, 0, 32);
        KernelCall copy = KernelCall.of("copy", Activation.class, "reluForward", seen, h, 0, 32);
        KernelCall reluAgain = KernelCall.of("relu_eval", Activation.class, "reluForward", h, x, 0, 32);

        Program alone = program(x, h, Program.Role.WORK, out, mask, rng, seen);
        alone.phase("a", List.of(relu, drop));
        assertEquals(1, Fusions.fuse(alone, "a").size(), "alone, the pair fuses");
        alone.phase("b", List.of(copy));
        assertEquals(2, Fusions.fuse(alone, "a").size(), "another phase reads h without writing it first");

        Program leaves = program(x, h, Program.Role.OUTPUT, out, mask, rng, seen);
        leaves.phase("a", List.of(relu, drop));
        assertEquals(2, Fusions.fuse(leaves, "a").size(), "h leaves the device: it must be written");

        Program readLater = program(x, h, Program.Role.WORK, out, mask, rng, seen);
        readLater.phase("a", List.of(relu, drop, copy));
        assertEquals(3, Fusions.fuse(readLater, "a").size(), "a later call of the phase reads h");

        Program writtenFirst = program(x, h, Program.Role.WORK, out, mask, rng, seen);
        writtenFirst.phase("a", List.of(relu, drop));
        writtenFirst.phase("b", List.of(reluAgain, copy));
        assertTrue(Fusions.fuse(writtenFirst, "a").get(0).name().contains("+"),
                "another phase that writes h before reading it does not stop the fusion");
    }

    /** A program over the test's arrays, h in the given role. */
    private static Program program(float[] x, float[] h, Program.Role hRole, float[] out, float[] mask, int[] rng, float[] seen) {
        Program p = new Program("t");
        p.buffer("x", x, Program.Role.INPUT);
        p.buffer("h", h, hRole);
        p.buffer("out", out, Program.Role.WORK);
        p.buffer("mask", mask, Program.Role.WORK);
        p.buffer("rng", rng, Program.Role.INPUT);
        p.buffer("seen", seen, Program.Role.OUTPUT);
        return p;
    }
}
