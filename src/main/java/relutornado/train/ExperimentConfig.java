package relutornado.train;

import java.nio.file.Path;
import relutornado.cv.Protocol;
import relutornado.data.DatasetName;
import relutornado.engine.EngineOptions;
import relutornado.model.Head;
import relutornado.model.ModelKind;
import relutornado.model.ModelSpec;
import relutornado.preprocess.Input;

/**
 * Everything one {@code relu-tornado train} run needs, validated with messages naming the flag.
 *
 * @param dataset       --dataset
 * @param model         --model (cnn: image sets only)
 * @param head          --head
 * @param protocol      --protocol
 * @param folds         --folds: k of stratified k-fold CV; 1 = one stratified 90/10 train/validation split
 * @param train         epochs, batch, Adam settings and seed
 * @param limit         --limit: use only this many training rows (stratified sample), 0 = all
 * @param scale         --scale: standardise WDBC's features (off by default, as the author did); the image sets with
 *                      --input pca are always standardised before PCA, with --input pixels never
 * @param pca           --pca: PCA components for --input pca (the author's 256; the CNN needs a square number
 *                      of at least 256); 0 = standardised pixels without PCA. Must be 0 for --input pixels and WDBC
 * @param paperSplit    not --full-train: train on TensorFlow's 55,000-image train split (images 5,000..59,999) as the author did
 * @param dataDir       --data-dir
 * @param out           --out
 * @param engine        --engine, --device, --threads, --profile
 * @param input         --input: pca (the author's) or pixels, for the image sets
 */
public record ExperimentConfig(DatasetName dataset, ModelKind model, Head head, Protocol protocol, int folds, TrainConfig train,
                               int limit, boolean scale, int pca, boolean paperSplit, Path dataDir, Path out,
                               EngineOptions engine, Input input) {
    /** The author's PCA components (16×16 for the CNN), train's default for --input pca. */
    public static final int PAPER_PCA = 256;

    public ExperimentConfig {
        if (dataset == null || model == null || head == null || protocol == null || input == null) {
            throw new IllegalArgumentException("--dataset, --model, --head, --protocol and --input must be given");
        }
        if (folds < 1 || folds > 100) {
            throw new IllegalArgumentException("--folds must be in 1..100, got " + folds);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0 = all rows), got " + limit);
        }
        if (pca < 0) {
            throw new IllegalArgumentException("--pca must be >= 0, got " + pca);
        }
        if (dataset == DatasetName.WDBC && pca > 0) {
            throw new IllegalArgumentException("--pca applies to the image sets only; WDBC is used with its 30 features");
        }
        if (!dataset.images() && model == ModelKind.CNN) {
            throw new IllegalArgumentException("--model cnn needs an image data set (mnist or fashion); wdbc has 30 tabular features");
        }
        if (!dataset.images() && input == Input.PIXELS) {
            throw new IllegalArgumentException("--input pixels applies to the image sets (mnist, fashion); wdbc has 30 tabular features");
        }
        if (input == Input.PIXELS && pca > 0) {
            throw new IllegalArgumentException("--pca applies to --input pca; --input pixels uses the 28x28 images without PCA");
        }
        if (input == Input.PIXELS && scale) {
            throw new IllegalArgumentException("--scale applies to wdbc; --input pixels keeps pixels in [0, 1] (/255), unstandardised");
        }
        if (model == ModelKind.CNN && input == Input.PCA && pca > 0) {
            int side = (int) Math.round(Math.sqrt(pca));
            if (side * side != pca) {
                throw new IllegalArgumentException("--model cnn reads the --pca components as a square image: --pca must be a square"
                        + " number (the paper's 256 = 16x16), got " + pca);
            }
            try {
                ModelSpec.cnn(1, side, side, 10, head);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--pca " + pca + " gives a " + side + "x" + side + " image, too small for --model cnn"
                        + " (at least 256 = 16x16): " + e.getMessage(), e);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
    }

    public boolean images() {
        return dataset.images();
    }

    /** Whether a StandardScaler (fitted on the training set) prepares the features: --scale, or the image sets' PCA input. */
    public boolean standardise() {
        return scale || images() && input == Input.PCA;
    }

    /** Whether PCA prepares the features. */
    public boolean usesPca() {
        return images() && input == Input.PCA && pca > 0;
    }
}
