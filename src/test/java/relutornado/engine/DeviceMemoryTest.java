package relutornado.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import relutornado.model.Head;
import relutornado.model.ModelSpec;
import relutornado.model.Network;

class DeviceMemoryTest {

    private static final long O = DeviceMemory.PER_ARRAY_OVERHEAD;

    /** 6 → 8 (ReLU) → 2, softmax: P = 6·8 + 8 + 8·2 + 2 = 74 parameters. */
    private static DeviceMemory tiny(int batch) {
        return DeviceMemory.of(new Network(ModelSpec.ffnn(6, new int[] {8}, 0f, 2, Head.SOFTMAX), batch).program());
    }

    @Test
    void theNeedIsCountedByHand() {
        int n = 256;
        DeviceMemory m = tiny(n);
        // weights, Adam m, Adam v: 3 arrays of 74 floats
        assertEquals(3 * (4 * 74 + O), m.parameters());
        assertEquals(4 * 74 + O, m.gradients());
        // per row: x 6, label 1, row loss/prediction/dead 3, dense0 8, relu 8, dense 2 (logits), d_logits 2,
        // d(relu out) 8, d(dense0 out) 8 = 46 values; plus valid 1, rng 2, Adam hyper-parameters 4, and the
        // eval phase's live-unit counts of the ReLU layer 8; 15 arrays
        assertEquals(4 * (46L * n + 7 + 8) + 15 * O, m.batch());
        assertEquals(m.parameters() + m.gradients() + m.batch(), m.total());
        assertEquals(4L * 8 * n, m.largestBytes());
        assertEquals("dense0_out", m.largestName());
        // the batch part grows with --batch, the rest does not
        assertEquals(m.parameters(), tiny(2 * n).parameters());
        assertEquals(4 * 46L * n, tiny(2 * n).batch() - m.batch());
    }

    @Test
    void aRunThatDoesNotFitIsOneClearError() {
        DeviceMemory m = tiny(256);
        String device = "0:0 OPENCL Tiny GPU (GPU)";
        IllegalStateException total = assertThrows(IllegalStateException.class,
                () -> m.check("ffnn_softmax", device, 1 << 20, 40_000));
        assertEquals("ffnn_softmax needs 48.4 KiB of device memory (weights and Adam moments 1.1 KiB, gradients 360 B, one batch's"
                + " inputs, outputs and activations 47.0 KiB) but 0:0 OPENCL Tiny GPU (GPU) has 39.1 KiB (90 % usable): lower --batch,"
                + " or choose a device with more memory", total.getMessage());
        IllegalStateException one = assertThrows(IllegalStateException.class,
                () -> m.check("ffnn_softmax", device, 4096, 1L << 30));
        assertEquals("ffnn_softmax needs one array of 8.0 KiB (dense0_out) but 0:0 OPENCL Tiny GPU (GPU) allocates at most 4.0 KiB"
                + " at once: lower --batch, or choose another device", one.getMessage());
        assertDoesNotThrow(() -> m.check("ffnn_softmax", device, 8192, (long) Math.ceil(m.total() / DeviceMemory.USABLE_SHARE)));
        assertDoesNotThrow(() -> m.check("ffnn_softmax", device, 0, 0), "unknown limits are not checked");
    }

    @Test
    void thePaperCnnAtBatch256NeedsAFewTensOfMebibytes() {
        DeviceMemory cnn = DeviceMemory.of(new Network(ModelSpec.cnn(1, 16, 16, 10, Head.RELU), 256).program());
        // 84,202 parameters (docs/design.md, The CNN): weights, m, v
        assertEquals(3 * (4 * 84_202 + O), cnn.parameters());
        assertEquals(true, cnn.total() > 10L << 20 && cnn.total() < 100L << 20, DeviceMemory.bytes(cnn.total()));
    }
}
