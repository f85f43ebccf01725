/**
 * Data sets: MNIST and Fashion-MNIST from IDX files, WDBC from CSV, and the train/test splits the
 * paper used (TensorFlow's train split: the last 55,000 of the 60,000 training images; a stratified
 * 70/30 split for WDBC).
 *
 * <p>Every reader checks its input fully (magic numbers, sizes, truncation, trailing bytes, labels,
 * non-finite cells) and fails with a {@link relutornado.data.DataFormatException} whose message
 * names the file and the problem. Missing files raise {@link relutornado.data.MissingDataException}
 * listing the paths tried. {@code scripts/setup.sh} puts the files in {@code data/}.
 */
package relutornado.data;
