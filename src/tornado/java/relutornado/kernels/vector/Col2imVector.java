package relutornado.kernels.vector;

import relutornado.kernels.Im2col;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.vectors.Float16;

/**
 * {@link relutornado.kernels.Im2col#gather} (col2im) for OpenCL CPU devices on TornadoVM's vector types, over a patch
 * gradient whose taps are ordered (kh, kw, c) instead of (c, kh, kw) — the convolution's backward-to-input product
 * writes it so when it reads the weights through {@link relutornado.kernels.Im2col#permuteTaps}. The 16 channels of one
 * input position then sit side by side in every patch row, so each work-item adds up to KH·KW vectors of 16 channels
 * (the plain gather adds the same terms one channel at a time, in the same order: the same floats). C a multiple of 16.
 * <pre>
 *   dIn[n, c, ih, iw] = Σ_{kh, kw} dPatches[n, (ih+pad-kh, iw+pad-kw), (kh·KW + kw)·C + c]   over the positions that exist
 *   work-items: C/16 (dim 0) × count·H·W (dim 1)
 * </pre>
 */
public final class Col2imVector {
    private Col2imVector() {
    }

    public static void gather16(float[] dIn, float[] dPatches, int C, int H, int W, int KH, int KW, int pad, int OH, int OW,
                                int start, int count) {
        for (@Parallel int cb = 0; cb < C / 16; cb++) {
            for (@Parallel int t = 0; t < count * H * W; t++) {
                int n = start + t / (H * W);
                int r = t - (n - start) * (H * W);
                int ih = r / W;
                int iw = r - ih * W;
                Float16 acc = new Float16(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
                for (int kh = Im2col.firstTap(ih, pad, OH); kh < Im2col.endTap(ih, pad, KH); kh++) {
                    for (int kw = Im2col.firstTap(iw, pad, OW); kw < Im2col.endTap(iw, pad, KW); kw++) {
                        int p = (ih + pad - kh) * OW + (iw + pad - kw);
                        acc = Float16.add(acc, GemmVector.load16(dPatches, (n * OH * OW + p) * C * KH * KW + (kh * KW + kw) * C + cb * 16, 1));
                    }
                }
                GemmVector.store16(dIn, (n * C + cb * 16) * H * W + r, H * W, acc);
            }
        }
    }
}
