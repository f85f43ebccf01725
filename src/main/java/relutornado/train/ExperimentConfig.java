package relutornado.train;

import java.nio.file.Path;
import java.util.List;
import relutornado.engine.EngineOptions;
import relutornado.model.Head;

/**
 * Everything one {@code relu-tornado train} run needs, validated with messages naming the flag.
 *
 * @param dataset       --dataset: mnist, fashion or wdbc
 * @param model         --model: ffnn
 * @param head          --head
 * @param protocol      --protocol
 * @param folds         --folds: k of stratified k-fold CV; 1 = one stratified 90/10 train/validation split
 * @param train         epochs, batch, Adam settings and seed
 * @param limit         --limit: use only this many training rows (stratified sample), 0 = all
 * @param scale         --scale: standardise features (always on for the image sets, before PCA; off by default for WDBC as the author did)
 * @param pca           --pca: PCA components for the image sets (the author's 256); 0 = raw pixels
 * @param paperSplit    not --full-train: train on TensorFlow's 55,000-image train split (images 5,000..59,999) as the author did
 * @param dataDir       --data-dir
 * @param out           --out
 * @param engine        --engine, --device, --threads, --profile
 */
public record ExperimentConfig(String dataset, String model, Head head, Protocol protocol, int folds, TrainConfig train,
                               int limit, boolean scale, int pca, boolean paperSplit, Path dataDir, Path out,
                               EngineOptions engine) {
    public static final List<String> DATASETS = List.of("mnist", "fashion", "wdbc");
    public static final List<String> MODELS = List.of("ffnn");

    public ExperimentConfig {
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("--dataset must be one of " + DATASETS + ", got '" + dataset + "'");
        }
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("--model must be one of " + MODELS + ", got '" + model + "'");
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
        if (dataset.equals("wdbc") && pca > 0) {
            throw new IllegalArgumentException("--pca applies to the image sets only; WDBC is used with its 30 features");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
    }

    public boolean images() {
        return !dataset.equals("wdbc");
    }
}
