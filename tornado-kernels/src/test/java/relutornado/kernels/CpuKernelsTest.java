package relutornado.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static relutornado.kernels.GradCheck.randomFloats;
import static relutornado.kernels.PlainKernelComparison.compareConv;
import static relutornado.kernels.PlainKernelComparison.compareDense;
import static relutornado.kernels.PlainKernelComparison.compareGram;

import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The CPU variants (DenseCpu, Conv2dCpu, LinalgCpu, ActivationCpu, DropoutCpu, MaxPoolCpu, AdamCpu) equal the plain {@code @Parallel} kernels they replace, on sub-ranges too (the comparisons: PlainKernelComparison). */
class CpuKernelsTest {

    /**
     * Shapes around the GEMM's blocking: tile edges (MR, NR), K beyond one packed block (KC = 384 on AVX2, 512 for the 6×4 tile; the build's gemm-* runs set smaller ones), batch 1; more rows
     * than one row block (MC = 96) with a last block of whole tiles (A read in place) or not (A packed: 199 = 2·96 + 7).
     */
    @ParameterizedTest(name = "N={0} C={1} OC={2} range [{3}, +{4})")
    @MethodSource("relutornado.kernels.PlainKernelComparison#denseCases")
    @CsvSource({
        "256, 256, 512, 0, 256",
        "130, 520, 2100, 3, 120",
        "200, 37, 48, 1, 199",
        "300, 97, 33, 0, 300",
    })
    void cpuKernelsEqualThePlainKernels(int N, int C, int OC, int start, int count) {
        compareDense(DenseCpu::forward, DenseCpu::backwardInput, DenseCpu::backwardWeights, N, C, OC, start, count);
    }

    /**
     * The GEMM runs the tile its properties ask for (the build's gemm-* runs of this class set them), else 8×2 for
     * 512-bit vectors and 4×2 below with their default depth blocks; bad values and pairs are refused naming the property.
     */
    @Test
    void gemmRunsTheConfiguredTile() {
        int bits = Integer.getInteger(CpuGemm.BITS_PROPERTY, FloatVector.SPECIES_PREFERRED.vectorBitSize());
        Integer rowsSet = Integer.getInteger(CpuGemm.ROWS_PROPERTY), colsSet = Integer.getInteger(CpuGemm.COLS_PROPERTY);
        int rows = rowsSet != null ? rowsSet : colsSet != null && colsSet == 4 ? 6 : bits >= 512 ? 8 : 4;
        int cols = colsSet != null ? colsSet : rows == 6 ? 4 : 2;
        int kc = Integer.getInteger(CpuGemm.KC_PROPERTY, Math.min(1024, (cols == 4 ? 32768 : 6144) / (cols * bits / 32)));
        assertEquals(rows + "x" + cols + " vectors of " + bits / 32 + " floats, depth blocks of " + kc, CpuGemm.tile());
        assertEquals(rows, CpuGemm.MR);
        assertEquals(cols, CpuGemm.NV);
        assertEquals(kc, CpuGemm.depthBlock());
        assertArrayEquals(new int[] {8, 2}, CpuGemm.tile(512, null, null));
        assertArrayEquals(new int[] {4, 2}, CpuGemm.tile(256, null, null));
        assertArrayEquals(new int[] {6, 4}, CpuGemm.tile(256, 6, null));
        assertArrayEquals(new int[] {8, 2}, CpuGemm.tile(512, 8, null));
        var e = assertThrows(IllegalArgumentException.class, () -> CpuGemm.tile(6, 2));
        assertTrue(e.getMessage().contains("-Drelutornado.gemm.rows") && e.getMessage().contains("-Drelutornado.gemm.cols")
                && e.getMessage().contains("6x2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CpuGemm.tile(512, 5, null));
        assertTrue(e.getMessage().contains("5x2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CpuGemm.species(384));
        assertTrue(e.getMessage().contains("-Drelutornado.gemm.bits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CpuGemm.depthBlock(8));
        assertTrue(e.getMessage().contains("-Drelutornado.gemm.kc"), e.getMessage());
        assertEquals(1024, CpuGemm.depthBlock(1024));
    }

    /**
     * Products of BIG_DIM and more in every dimension run the big-product tile (6×4) where the main tile is 8×2 on
     * 512-bit vectors, the rest the main tile; checked against a double-precision product with partial tiles at both
     * edges and three depth blocks, B row-major and transposed. Elsewhere the same product checks the main tile.
     */
    @Test
    void bigProductsRunTheBigTileAndAgreeWithADoubleProduct() {
        int M = 1030, N = 1040, K = 1100;
        boolean big = CpuGemm.NR == 32 && CpuGemm.MR == 8 && !"false".equals(System.getProperty(CpuGemm.BIG_PROPERTY));
        assertEquals(big ? 6 : CpuGemm.MR, CpuGemm.tileFor(M, N, K).mr());
        assertEquals(CpuGemm.MR, CpuGemm.tileFor(256, 512, 512).mr());
        assertEquals(CpuGemm.MR, CpuGemm.tileFor(M, N, 1000).mr());
        assertEquals(big, !CpuGemm.bigTile().isEmpty(), CpuGemm.bigTile());
        Random r = new Random(5);
        float[] a = new float[M * K], b = new float[K * N], bt = new float[K * N];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        for (int k = 0; k < K; k++) {
            for (int j = 0; j < N; j++) {
                b[k * N + j] = r.nextFloat() - 0.5f;
                bt[j * K + k] = b[k * N + j];
            }
        }
        double[] want = new double[M * N];
        double[] row = new double[N];
        for (int i = 0; i < M; i++) {
            java.util.Arrays.fill(row, 0);
            for (int k = 0; k < K; k++) {
                double aik = a[i * K + k];
                for (int j = 0; j < N; j++) {
                    row[j] += aik * b[k * N + j];
                }
            }
            System.arraycopy(row, 0, want, i * N, N);
        }
        for (float[] bForm : List.of(b, bt)) {
            float[] c = new float[M * N];
            if (bForm == b) {
                CpuGemm.gemm(M, N, K, a, 0, K, 1, b, 0, N, 1, c, 0, N);
            } else {
                CpuGemm.gemm(M, N, K, a, 0, K, 1, bt, 0, 1, K, c, 0, N);
            }
            double worst = 0;
            for (int i = 0; i < c.length; i++) {
                worst = Math.max(worst, Math.abs(c[i] - want[i]) / Math.max(1, Math.abs(want[i])));
            }
            assertTrue(worst < 1e-5, (bForm == b ? "B row-major" : "B transposed") + ": max relative difference " + worst);
        }
    }

    @ParameterizedTest(name = "Gram N={0} F={1} range [{2}, +{3})")
    @MethodSource("relutornado.kernels.PlainKernelComparison#gramCases")
    void gramEqualsThePlainKernel(int N, int F, int start, int count) {
        compareGram(LinalgCpu::gramAccumulate, N, F, start, count);
    }

    /**
     * Odd sizes, one channel (the direct 3×3 kernels too: an image's output within L1 and beyond it, rows one vector
     * wide and wider), many channels, batch 1, valid and same padding.
     */
    @ParameterizedTest(name = "conv N={0} C={1} {2}x{3} OC={4} K={5} pad={6} range [{7}, +{8})")
    @MethodSource("relutornado.kernels.PlainKernelComparison#convCases")
    @CsvSource({
        "40, 32, 26, 26, 32, 3, 0, 7, 30",
        "3, 1, 16, 16, 32, 3, 0, 1, 2",
        "1, 1, 28, 28, 32, 3, 0, 0, 1",
        "2, 1, 11, 21, 5, 3, 0, 0, 2",
        "4, 1, 28, 28, 16, 3, 0, 1, 3",
        "3, 1, 9, 10, 3, 3, 0, 0, 3",
    })
    void convEqualsThePlainKernels(int N, int C, int H, int W, int OC, int K, int pad, int start, int count) {
        compareConv(Conv2dCpu::forward, Conv2dCpu::backwardInput, Conv2dCpu::backwardWeights, Conv2dCpu::backwardBias,
                N, C, H, W, OC, K, pad, start, count);
    }

    /** Elementwise and pooling variants equal the plain kernels bit for bit: lengths off the vector width, sub-ranges, ties. */
    @ParameterizedTest(name = "elementwise E={0} range [{1}, +{2})")
    @CsvSource({"1, 0, 1", "7, 2, 5", "8, 0, 8", "37, 3, 33", "1000, 17, 950", "4099, 0, 4099"})
    void elementwiseVariantsEqualThePlainKernelsBitForBit(int E, int start, int count) {
        Random rnd = new Random(E);
        float[] in = randomFloats(rnd, E, 1.0);
        float[] dOut = randomFloats(rnd, E, 1.0);
        in[start] = 0.0f; // the ReLU's edge: in = 0 passes no gradient
        float[] plain = randomFloats(new Random(1), E, 9.0);
        float[] cpu = plain.clone();
        Activation.reluForward(plain, in, start, count);
        ActivationCpu.reluForward(cpu, in, start, count);
        assertArrayEquals(plain, cpu, "reluForward");
        Activation.reluBackward(plain, dOut, in, start, count);
        ActivationCpu.reluBackward(cpu, dOut, in, start, count);
        assertArrayEquals(plain, cpu, "reluBackward");

        int[] rng = {12345, 678};
        for (float rate : new float[] {0.0f, 0.1f, 0.5f}) {
            float[] maskPlain = randomFloats(new Random(2), E, 9.0);
            float[] maskCpu = maskPlain.clone();
            Dropout.forward(plain, maskPlain, in, rng, 5, rate, start, count);
            DropoutCpu.forward(cpu, maskCpu, in, rng, 5, rate, start, count);
            assertArrayEquals(maskPlain, maskCpu, "dropout mask, rate " + rate);
            assertArrayEquals(plain, cpu, "dropout forward, rate " + rate);
            Dropout.backward(plain, dOut, maskPlain, start, count);
            DropoutCpu.backward(cpu, dOut, maskCpu, start, count);
            assertArrayEquals(plain, cpu, "dropout backward, rate " + rate);
        }

        // Adam over a slab: two steps, so the moments are not zero; hyper as Network.adamStep sets them
        float[] pPlain = randomFloats(new Random(3), E, 1.0);
        float[] mPlain = new float[E];
        float[] vPlain = new float[E];
        float[] pCpu = pPlain.clone();
        float[] mCpu = mPlain.clone();
        float[] vCpu = vPlain.clone();
        for (int step = 1; step <= 2; step++) {
            float[] grads = randomFloats(new Random(4 + step), E, 1.0);
            grads[start] = 0.0f; // a zero gradient: sqrt(v) = 0 while v is, so ε alone divides
            float[] hyper = {(float) (1e-3 * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step))), 0.9f, 0.999f, 1e-7f};
            Adam.update(pPlain, mPlain, vPlain, grads, hyper, start, count);
            AdamCpu.update(pCpu, mCpu, vCpu, grads, hyper, start, count);
        }
        assertArrayEquals(pPlain, pCpu, "Adam params");
        assertArrayEquals(mPlain, mCpu, "Adam m");
        assertArrayEquals(vPlain, vCpu, "Adam v");
    }

    /** The bias gradient (a column sum) adds the rows in the plain kernel's order: bit for bit, off-width ranges, batch 1. */
    @ParameterizedTest(name = "dense bias N={0} OC={1} range [{2}, +{3})")
    @CsvSource({"1, 1, 0, 1", "1, 10, 3, 7", "7, 13, 2, 11", "256, 512, 0, 512", "33, 40, 5, 17"})
    void denseBiasGradientEqualsThePlainKernelBitForBit(int N, int OC, int start, int count) {
        Random rnd = new Random(N * 31L + OC);
        float[] dOut = randomFloats(rnd, N * OC, 1.0);
        int bOff = 3;
        float[] plain = randomFloats(new Random(1), bOff + OC + 2, 9.0);
        float[] cpu = plain.clone();
        Dense.backwardBias(plain, dOut, bOff, N, OC, start, count);
        DenseCpu.backwardBias(cpu, dOut, bOff, N, OC, start, count);
        assertArrayEquals(plain, cpu, "dense backwardBias");
    }

    @ParameterizedTest(name = "pool N={0} C={1} {2}x{3} range [{4}, +{5})")
    @CsvSource({"1, 1, 2, 2, 0, 1", "3, 2, 5, 7, 1, 2", "4, 32, 12, 12, 0, 4", "2, 3, 9, 4, 1, 1",
        "3, 4, 24, 24, 1, 2", "2, 2, 33, 35, 0, 2", "1, 1, 2, 64, 0, 1"})
    void poolVariantsEqualThePlainKernelsBitForBit(int N, int C, int H, int W, int start, int count) {
        Random rnd = new Random(N * 7L + C + H * W);
        int OH = H / 2, OW = W / 2;
        float[] in = randomFloats(rnd, N * C * H * W, 1.0);
        for (int i = 0; i < in.length; i += 5) {
            in[i] = in[i / 2]; // ties inside windows: the first maximum wins
        }
        float[] dOut = randomFloats(rnd, N * C * OH * OW, 1.0);
        float[] plain = randomFloats(new Random(1), N * C * OH * OW, 9.0);
        float[] cpu = plain.clone();
        MaxPool.forward2x2(plain, in, C, H, W, OH, OW, start, count);
        MaxPoolCpu.forward2x2(cpu, in, C, H, W, OH, OW, start, count);
        assertArrayEquals(plain, cpu, "pool forward");
        float[] dPlain = randomFloats(new Random(2), N * C * H * W, 9.0);
        float[] dCpu = dPlain.clone();
        MaxPool.backward2x2(dPlain, dOut, in, C, H, W, OH, OW, start, count);
        MaxPoolCpu.backward2x2(dCpu, dOut, in, C, H, W, OH, OW, start, count);
        assertArrayEquals(dPlain, dCpu, "pool backward");
    }
}
