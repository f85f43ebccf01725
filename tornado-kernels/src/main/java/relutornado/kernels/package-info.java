/**
 * The network math as plain static methods over {@code float[]}/{@code int[]}: the one set of
 * kernels that every engine runs (sequential Java, multi-core Java, TornadoVM on OpenCL/PTX/SPIR-V).
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Argument order, as llm.c: outputs, inputs, weights, sizes. Backward kernels: gradients
 *       out first, then the upstream gradient, then what forward saved.</li>
 *   <li>Every kernel ends with {@code (int start, int count)}: the sub-range of its outermost
 *       {@code @Parallel} loop, written {@code for (@Parallel int t = 0; t < count; t++) { int i = start + t; }}
 *       (TornadoVM 5.2 rejects a non-zero start in the loop header). Sequential engines pass
 *       {@code (0, total)}, the multi-core engine splits the range across cores, TornadoVM runs the
 *       whole range.</li>
 *   <li>No allocation, exceptions, or calls into host code. Values that change between executions
 *       (valid rows of the last batch, the Adam step, the dropout step) travel in arrays, since
 *       TornadoVM specialises scalar arguments into the compiled kernel.</li>
 *   <li>Parameters and their gradients live in one slab each; a kernel gets the slab and the offsets
 *       of its tensors.</li>
 *   <li>All tensors are row-major; images are NCHW, each row's (C, H, W) tensor contiguous (see {@link relutornado.kernels.Conv2d}).</li>
 * </ul>
 *
 * <h2>Dimension letters</h2>
 * <pre>
 *   N   rows of a batch (padded batch size; valid rows are batch[0] &lt;= N)
 *   C   input features of a layer (input channels of a convolution or pooling)
 *   OC  output features of a layer (output channels, filters, of a convolution)
 *   H W     height and width of an image (input of a convolution or pooling)
 *   OH OW   height and width of its output
 *   KH KW   convolution kernel height and width
 *   pad     zero padding on each side: 0 for 'valid', (K - 1) / 2 for 'same' (odd K, stride 1)
 *   K   classes (output units of the last layer)
 *   F   features of a data matrix (covariance)
 *   E   elements of an elementwise op (N * features)
 *   S   positions per unit when counting live units (1 for a dense layer, H·W for a channel)
 *   P   parameters in the slab (Adam)
 * </pre>
 */
package relutornado.kernels;
