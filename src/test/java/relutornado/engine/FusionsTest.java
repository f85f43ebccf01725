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
        Program p = new Program("t");
        float[] x = p.buffer("x", new float[32], Program.Role.INPUT);
        float[] h = p.buffer("h", new float[32], Program.Role.WORK);
        float[] out = p.buffer("out", new float[32], Program.Role.WORK);
        float[] mask = p.buffer("mask", new float[32], Program.Role.WORK);
        int[] rng = p.buffer("rng", new int[] {1, 2}, Program.Role.INPUT);
        float[] seen = p.buffer("seen", new float[32], Program.Role.OUTPUT);
        KernelCall relu = KernelCall.of("relu_fwd", Activation.class, "reluForward", h, x, 0, 32);
        KernelCall drop = KernelCall.of("drop_fwd", Dropout.class, "forward", out, mask, h, rng, 1, 0.5f, 0, 32);
        KernelCall copy = KernelCall.of("copy", Activation.class, "reluForward", seen, h, 0, 32);
        p.phase("a", List.of(relu, drop));
        assertEquals(1, Fusions.fuse(p, "a").size(), "alone, the pair fuses");

        p.phase("b", List.of(copy));
        assertEquals(2, Fusions.fuse(p, "a").size(), "another phase reads h without writing it first");

        Program q = new Program("t");
        q.buffer("x", x, Program.Role.INPUT);
        q.buffer("h", h, Program.Role.OUTPUT);
        q.buffer("out", out, Program.Role.WORK);
        q.buffer("mask", mask, Program.Role.WORK);
        q.buffer("rng", rng, Program.Role.INPUT);
        q.phase("a", List.of(relu, drop));
        assertEquals(2, Fusions.fuse(q, "a").size(), "h leaves the device: it must be written");

        Program r = new Program("t");
        r.buffer("x", x, Program.Role.INPUT);
        r.buffer("h", h, Program.Role.WORK);
        r.buffer("out", out, Program.Role.WORK);
        r.buffer("mask", mask, Program.Role.WORK);
        r.buffer("rng", rng, Program.Role.INPUT);
        r.buffer("seen", seen, Program.Role.OUTPUT);
        r.phase("a", List.of(relu, drop, copy));
        assertEquals(3, Fusions.fuse(r, "a").size(), "a later call of the phase reads h");
        Program s = new Program("t");
        s.buffer("x", x, Program.Role.INPUT);
        s.buffer("h", h, Program.Role.WORK);
        s.buffer("out", out, Program.Role.WORK);
        s.buffer("mask", mask, Program.Role.WORK);
        s.buffer("rng", rng, Program.Role.INPUT);
        s.buffer("seen", seen, Program.Role.OUTPUT);
        s.phase("a", List.of(relu, drop));
        s.phase("b", List.of(KernelCall.of("relu_eval", Activation.class, "reluForward", h, x, 0, 32), copy));
        assertTrue(Fusions.fuse(s, "a").get(0).name().contains("+"), "another phase that writes h before reading it does not stop the fusion");
    }
}
