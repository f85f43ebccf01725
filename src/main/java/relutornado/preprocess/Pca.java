package relutornado.preprocess;

import static relutornado.engine.Program.Role.INPUT;
import static relutornado.engine.Program.Role.OUTPUT;
import static relutornado.engine.Program.Role.STATE;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import relutornado.engine.Engine;
import relutornado.engine.KernelCall;
import relutornado.engine.Program;
import relutornado.kernels.Dense;
import relutornado.kernels.Linalg;

/**
 * PCA as sklearn computes it for the author's pipeline: centre on the training mean, keep the
 * eigenvectors of the covariance matrix with the largest eigenvalues, project. The covariance
 * (a Gram matrix over row chunks) and the projection (a dense layer with zero bias) run as kernels
 * on the chosen engine; the eigen decomposition is EJML's symmetric solver, in double.
 * Component signs follow sklearn's svd_flip: the largest-magnitude loading of each is positive.
 *
 * @param mean       training mean per feature (F)
 * @param components (F, k) row-major: column j is component j
 * @param variances  eigenvalues of the kept components, descending (explained variance)
 * @param totalVariance trace of the covariance (all components)
 */
public record Pca(double[] mean, float[] components, double[] variances, double totalVariance, int features, int k) {
    /** Rows per kernel execution: the chunk is a fixed-size INPUT so a device compiles once. */
    public static final int CHUNK = 512;

    public static Pca fit(float[] x, int rows, int features, int k, Engine engine) {
        if (k < 1 || k > features) {
            throw new IllegalArgumentException("PCA components must be in 1.." + features + ", got " + k);
        }
        if (rows < 2 || (long) rows * features != x.length) {
            throw new IllegalArgumentException("PCA.fit: " + x.length + " values are not " + rows + " x " + features + " (need >= 2 rows)");
        }
        double[] mean = new double[features];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                mean[f] += x[r * features + f];
            }
        }
        for (int f = 0; f < features; f++) {
            mean[f] /= rows;
        }

        Program program = new Program("pca-covariance");
        float[] chunk = program.buffer("chunk", new float[CHUNK * features], INPUT);
        float[] gram = program.buffer("gram", new float[features * features], STATE);
        program.phase("run", List.of(KernelCall.of("gram", Linalg.class, "gramAccumulate", gram, chunk, CHUNK, features, 0, features)));
        try (Engine.Session session = engine.open(program)) {
            for (int r0 = 0; r0 < rows; r0 += CHUNK) {
                centredChunk(chunk, x, r0, rows, mean);
                session.run("run");
            }
            session.syncState();
        }
        DMatrixRMaj cov = new DMatrixRMaj(features, features);
        for (int i = 0; i < features; i++) {
            for (int j = i; j < features; j++) {
                double c = gram[i * features + j] / (rows - 1.0); // sklearn: unbiased covariance
                cov.set(i, j, c);
                cov.set(j, i, c);
            }
        }
        double trace = 0;
        for (int i = 0; i < features; i++) {
            trace += cov.get(i, i);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(features, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException("PCA: eigen decomposition of the " + features + "x" + features + " covariance failed");
        }
        Integer[] order = new Integer[features];
        for (int i = 0; i < features; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).getReal(), eig.getEigenvalue(a).getReal()));
        float[] components = new float[features * k];
        double[] variances = new double[k];
        for (int j = 0; j < k; j++) {
            DMatrixRMaj vec = eig.getEigenVector(order[j]);
            variances[j] = eig.getEigenvalue(order[j]).getReal();
            int maxAt = 0;
            for (int f = 1; f < features; f++) {
                if (Math.abs(vec.get(f)) > Math.abs(vec.get(maxAt))) {
                    maxAt = f;
                }
            }
            double sign = vec.get(maxAt) < 0 ? -1 : 1;
            for (int f = 0; f < features; f++) {
                components[f * k + j] = (float) (sign * vec.get(f));
            }
        }
        return new Pca(mean, components, variances, trace, features, k);
    }

    /** Projects rows onto the components: (x - mean) · components, (rows, k). */
    public float[] transform(float[] x, int rows, Engine engine) {
        if ((long) rows * features != x.length) {
            throw new IllegalArgumentException("PCA.transform: " + x.length + " values are not " + rows + " x " + features);
        }
        Program program = new Program("pca-projection");
        float[] chunk = program.buffer("chunk", new float[CHUNK * features], INPUT);
        // weights followed by a zero bias, so the dense kernel computes the plain product
        float[] slab = program.buffer("components", new float[features * k + k], STATE);
        System.arraycopy(components, 0, slab, 0, components.length);
        float[] projected = program.buffer("projected", new float[CHUNK * k], OUTPUT);
        program.phase("run", List.of(KernelCall.of("project", Dense.class, "forward", projected, chunk, slab, 0, features * k,
                features, k, 0, CHUNK)));
        float[] out = new float[rows * k];
        try (Engine.Session session = engine.open(program)) {
            for (int r0 = 0; r0 < rows; r0 += CHUNK) {
                int n = centredChunk(chunk, x, r0, rows, mean);
                session.run("run");
                System.arraycopy(projected, 0, out, r0 * k, n * k);
            }
        }
        return out;
    }

    /** Rows r0.. of x, centred, into the fixed-size chunk; rows past the end are zero. Returns the rows filled. */
    private static int centredChunk(float[] chunk, float[] x, int r0, int rows, double[] mean) {
        int features = mean.length;
        int n = Math.min(CHUNK, rows - r0);
        for (int r = 0; r < CHUNK; r++) {
            for (int f = 0; f < features; f++) {
                chunk[r * features + f] = r < n ? (float) (x[(r0 + r) * features + f] - mean[f]) : 0f;
            }
        }
        return n;
    }

    /** Fraction of the total variance that the kept components explain. */
    public double explainedVarianceRatio() {
        double s = 0;
        for (double v : variances) {
            s += v;
        }
        return s / totalVariance;
    }
}
