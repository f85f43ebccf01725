package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import relutornado.check.DeviceCheck;
import relutornado.kernels.Activation;
import relutornado.kernels.Dense;
import relutornado.kernels.Dropout;
import relutornado.kernels.Loss;
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
    void theBackwardPassWithTheBiasGradientGivesThePairsFloats() {
        // widths around the 16-column groups, one row and a full batch; a column range that starts inside a group
        for (int[] shape : new int[][] {{1, 1, 0, 1}, {3, 15, 0, 15}, {5, 16, 0, 16}, {7, 17, 0, 17}, {2, 40, 0, 40},
            {256, 512, 0, 512}, {9, 37, 5, 29}}) {
            int N = shape[0], OC = shape[1], start = shape[2], count = shape[3], bOff = 3;
            float[] dOut = values(N * OC, OC), mask = values(N * OC, OC + 1L), in = values(N * OC, OC + 2L);
            float[] dIn = new float[N * OC], grads = new float[bOff + OC + 2];
            Dropout.reluBackward(dIn, dOut, mask, in, 0, N * OC);
            Dense.backwardBias(grads, dIn, bOff, N, OC, start, count);
            float[] fusedDIn = new float[N * OC], fusedGrads = new float[bOff + OC + 2];
            Dropout.reluBackwardBias(fusedDIn, fusedGrads, dOut, mask, in, bOff, N, OC, start, count);
            for (int n = 0; n < N; n++) {
                for (int o = start; o < start + count; o++) {
                    assertEquals(Float.floatToIntBits(dIn[n * OC + o]), Float.floatToIntBits(fusedDIn[n * OC + o]),
                            "dIn[" + n + "][" + o + "], " + N + " x " + OC);
                }
            }
            assertArrayEquals(grads, fusedGrads, "bias gradient, " + N + " x " + OC + " columns " + start + "+" + count);
        }
    }

    @Test
    void theFusedHeadsGiveTheirPairsFloats() {
        for (int K : new int[] {2, 10}) {
            int N = 37, valid = 33, start = 3, count = 30;
            Random r = new Random(K);
            float[] logits = new float[N * K];
            int[] labels = new int[N];
            for (int i = 0; i < N * K; i++) {
                // some rows all-dead for the ReLU head, some clipped for softmax
                logits[i] = i / K % 5 == 0 ? -Math.abs((float) r.nextGaussian()) : (float) r.nextGaussian() * (i / K % 7 == 0 ? 40 : 2);
            }
            for (int i = 0; i < N; i++) {
                labels[i] = r.nextInt(K);
            }
            int[] batch = {valid};
            float[] loss = new float[N], dLogits = new float[N * K], fLoss = new float[N], fDLogits = new float[N * K];
            int[] pred = new int[N], fPred = new int[N], dead = new int[N], fDead = new int[N];
            Loss.softmaxForward(loss, pred, logits, labels, batch, K, start, count);
            Loss.softmaxBackward(dLogits, logits, labels, batch, K, start, count);
            Loss.softmaxForwardBackward(fLoss, fPred, fDLogits, logits, labels, batch, K, start, count);
            assertArrayEquals(loss, fLoss, "softmax loss, K=" + K);
            assertArrayEquals(pred, fPred, "softmax prediction, K=" + K);
            assertArrayEquals(dLogits, fDLogits, "softmax gradient, K=" + K);
            Loss.reluHeadForward(loss, pred, dead, logits, labels, batch, K, start, count);
            Loss.reluHeadBackward(dLogits, logits, labels, batch, K, start, count);
            Loss.reluHeadForwardBackward(fLoss, fPred, fDead, fDLogits, logits, labels, batch, K, start, count);
            assertArrayEquals(loss, fLoss, "ReLU head loss, K=" + K);
            assertArrayEquals(pred, fPred, "ReLU head prediction, K=" + K);
            assertArrayEquals(dead, fDead, "ReLU head dead rows, K=" + K);
            assertArrayEquals(dLogits, fDLogits, "ReLU head gradient, K=" + K);
        }
    }

    @Test
    void theBiasGradientFusesOnlyOverAWholeBatch() {
        int N = 4, OC = 20;
        float[] dOut = new float[N * OC], mask = new float[N * OC], in = new float[N * OC], dIn = new float[N * OC], grads = new float[OC];
        KernelCall relu = KernelCall.of("drop_bwd", Dropout.class, "reluBackward", dIn, dOut, mask, in, 0, N * OC);
        KernelCall whole = KernelCall.of("bias", Dense.class, "backwardBias", grads, dIn, 0, N, OC, 0, OC);
        KernelCall part = KernelCall.of("bias", Dense.class, "backwardBias", grads, dIn, 0, N, OC, 4, 8);
        KernelCall other = KernelCall.of("bias", Dense.class, "backwardBias", grads, dOut, 0, N, OC, 0, OC);
        for (KernelCall bias : List.of(whole, part, other)) {
            Program p = new Program("t");
            for (float[] a : List.of(dOut, mask, in, dIn, grads)) {
                p.buffer("a" + System.identityHashCode(a), a, Program.Role.WORK);
            }
            p.phase("a", List.of(relu, bias));
            List<KernelCall> calls = Fusions.fuse(p, "a");
            assertEquals(bias == whole ? 1 : 2, calls.size(), bias.toString());
        }
    }

    @Test
    void theFfnnTrainStepFusesEachReluAndDropoutAndRunsToTheSameBits() {
        Network plain = DeviceCheck.stepNetwork(DeviceCheck.model("ffnn", Head.SOFTMAX), 37);
        Network fused = DeviceCheck.stepNetwork(DeviceCheck.model("ffnn", Head.SOFTMAX), 37);
        List<KernelCall> calls = Fusions.fuse(fused.program(), Network.TRAIN);
        int pairs = plain.program().phase(Network.TRAIN).size() - calls.size();
        // three hidden layers: relu+dropout forward and dropout+relu backward each, the latter with the bias
        // gradient of the dense layer before them
        assertEquals(10, pairs, calls.toString());
        assertEquals(7, calls.stream().filter(c -> c.name().contains("+")).count());
        assertEquals(1, calls.stream().filter(c -> c.method().getName().equals("softmaxForwardBackward")).count(), calls.toString());
        assertEquals(3, calls.stream().filter(c -> c.method().getName().equals("reluBackwardBias")).count(), calls.toString());
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
        // the convolutions' ReLUs go on to a convolution or a max-pool; only dense(256) → relu → dropout(0.5) fuses,
        // its backward with the dense layer's bias gradient; and the ReLU head's forward and backward
        assertEquals(net.program().phase(Network.TRAIN).size() - 4, calls.size());
        assertEquals(1, calls.stream().filter(c -> c.method().getName().equals("reluHeadForwardBackward")).count(), calls.toString());
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
