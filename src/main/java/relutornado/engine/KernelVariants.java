package relutornado.engine;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import relutornado.kernels.Activation;
import relutornado.kernels.ActivationCpu;
import relutornado.kernels.Adam;
import relutornado.kernels.AdamCpu;
import relutornado.kernels.Conv2d;
import relutornado.kernels.Conv2dCpu;
import relutornado.kernels.Conv2dDevice;
import relutornado.kernels.Dense;
import relutornado.kernels.DenseCpu;
import relutornado.kernels.DenseDevice;
import relutornado.kernels.Dropout;
import relutornado.kernels.DropoutCpu;
import relutornado.kernels.Linalg;
import relutornado.kernels.LinalgCpu;
import relutornado.kernels.LinalgDevice;
import relutornado.kernels.MaxPool;
import relutornado.kernels.MaxPoolCpu;

/**
 * What runs where: for each kernel that has variants, the CPU variant {@code java-parallel} runs with
 * {@code --cpu-kernels vector} and the device variant the {@code tornado} engine runs with
 * {@code --device-kernels tuned}, with the device variant's launch geometry. Every other kernel runs as
 * written everywhere. A variant must have the kernel's name and parameter types (the engines swap the
 * method and keep the arguments); one that cannot be found stops the class from loading, so a rename
 * fails the tests instead of silently falling back.
 * <pre>
 *   kernel                   CPU variant (java-parallel)   device variant (tornado)   device work-items (dim 0, dim 1)
 *   Dense.forward            DenseCpu.forward              DenseDevice.forward        tiles(OC), tiles(count)
 *   Dense.backwardInput      DenseCpu.backwardInput        DenseDevice.backwardInput  tiles(C),  tiles(count)
 *   Dense.backwardWeights    DenseCpu.backwardWeights      DenseDevice.backwardWeights tiles(OC), tiles(count)
 *   Conv2d.forward           Conv2dCpu.forward             Conv2dDevice.forward       tiles(OH·OW), count·tiles(OC)
 *   Conv2d.backwardInput     Conv2dCpu.backwardInput       Conv2dDevice.backwardInput tiles(H·W), count·tiles(C)
 *   Conv2d.backwardWeights   Conv2dCpu.backwardWeights     Conv2dDevice.backwardWeights tiles(C·KH·KW), tiles(count)
 *   Linalg.gramAccumulate    LinalgCpu.gramAccumulate      LinalgDevice.gramAccumulate tiles(F), tiles(count)
 *   Conv2d.backwardBias      Conv2dCpu.backwardBias        —
 *   Activation.reluForward   ActivationCpu.reluForward     —
 *   Activation.reluBackward  ActivationCpu.reluBackward    —
 *   Dropout.forward          DropoutCpu.forward            —
 *   Dropout.backward         DropoutCpu.backward           —
 *   MaxPool.forward2x2       MaxPoolCpu.forward2x2         —
 *   MaxPool.backward2x2      MaxPoolCpu.backward2x2        —
 *   Dense.backwardBias       DenseCpu.backwardBias         —
 *   Adam.update              AdamCpu.update                —
 * </pre>
 * tiles(n) = ⌈n / 4⌉: each device work-item owns a 4×4 register tile ({@link DenseDevice#T}). These device variants
 * are {@code --device-kernels tiles} ({@code tuned} on GPUs and other non-CPU devices). {@code --device-kernels vector}
 * ({@code tuned} on CPU devices) runs the dense and convolution products instead as 6×16 {@code float16} matrix
 * products, which need TornadoVM's vector types and so live in the TornadoVM source set: its
 * {@code relutornado.engine.tornado.VectorVariants} is the rest of this table.
 */
public final class KernelVariants {

    /**
     * A kernel and its variants.
     *
     * @param launch the device variant's launch geometry from the call's arguments (null without a device variant)
     */
    public record Entry(Method kernel, Method cpu, Method device, Function<KernelCall, Launch> launch) {
        public String name() {
            return KernelCall.describe(kernel);
        }
    }

    private static final Map<Method, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        // argument positions follow the kernels' signatures (see each kernel's doc); count is always last
        add(Dense.class, "forward", DenseCpu.class, DenseDevice.class, c -> grid(tiles(c.intArg(6)), tiles(c.count())));
        add(Dense.class, "backwardInput", DenseCpu.class, DenseDevice.class, c -> grid(tiles(c.intArg(4)), tiles(c.count())));
        add(Dense.class, "backwardWeights", DenseCpu.class, DenseDevice.class, c -> grid(tiles(c.intArg(6)), tiles(c.count())));
        // Conv2d: (.., C=5, H=6, W=7, OC=8, KH=9, KW=10, pad=11, OH=12, OW=13, start, count) for forward and backwardInput
        add(Conv2d.class, "forward", Conv2dCpu.class, Conv2dDevice.class,
                c -> grid(tiles(c.intArg(12) * c.intArg(13)), (long) c.count() * tiles(c.intArg(8))));
        add(Conv2d.class, "backwardInput", Conv2dCpu.class, Conv2dDevice.class,
                c -> grid(tiles(c.intArg(5) * c.intArg(6)), (long) c.count() * tiles(c.intArg(4))));
        // backwardWeights: (grads, dOut, in, wOff, N, C=5, H, W, OC, KH=9, KW=10, ...)
        add(Conv2d.class, "backwardWeights", Conv2dCpu.class, Conv2dDevice.class,
                c -> grid(tiles(c.intArg(5) * c.intArg(9) * c.intArg(10)), tiles(c.count())));
        add(Linalg.class, "gramAccumulate", LinalgCpu.class, LinalgDevice.class, c -> grid(tiles(c.intArg(3)), tiles(c.count())));
        // the memory-bound passes of a CNN step: Vector API (or branch-free) CPU variants, no device variant
        add(Conv2d.class, "backwardBias", Conv2dCpu.class, null, null);
        add(Activation.class, "reluForward", ActivationCpu.class, null, null);
        add(Activation.class, "reluBackward", ActivationCpu.class, null, null);
        add(Dropout.class, "forward", DropoutCpu.class, null, null);
        add(Dropout.class, "backward", DropoutCpu.class, null, null);
        add(MaxPool.class, "forward2x2", MaxPoolCpu.class, null, null);
        add(MaxPool.class, "backward2x2", MaxPoolCpu.class, null, null);
        add(Dense.class, "backwardBias", DenseCpu.class, null, null);
        add(Adam.class, "update", AdamCpu.class, null, null);
    }

    private KernelVariants() {
    }

    private static long tiles(long n) {
        return DenseDevice.tiles((int) n);
    }

    private static Launch grid(long dim0, long dim1) {
        return Launch.of(Math.max(1, dim0), Math.max(1, dim1));
    }

    private static void add(Class<?> kernels, String method, Class<?> cpu, Class<?> device, Function<KernelCall, Launch> launch) {
        Method kernel = KernelCall.of("registry", kernels, method, placeholderArgs(kernels, method)).method();
        Entry e = new Entry(kernel, variant(kernel, cpu), device == null ? null : variant(kernel, device), launch);
        if (ENTRIES.put(kernel, e) != null) {
            throw new IllegalStateException("kernel " + e.name() + " is registered twice");
        }
    }

    /** Arguments that satisfy KernelCall's type check, only to resolve the method by name. */
    private static Object[] placeholderArgs(Class<?> kernels, String method) {
        for (Method m : kernels.getMethods()) {
            if (m.getName().equals(method) && Modifier.isStatic(m.getModifiers())) {
                Object[] a = new Object[m.getParameterCount()];
                Class<?>[] t = m.getParameterTypes();
                for (int i = 0; i < a.length; i++) {
                    a[i] = t[i] == int.class ? (Object) 0 : t[i] == float.class ? (Object) 0f : t[i] == float[].class ? new float[0] : new int[0];
                }
                return a;
            }
        }
        throw new IllegalStateException("registered kernel " + kernels.getSimpleName() + "." + method + " does not exist");
    }

    private static Method variant(Method kernel, Class<?> owner) {
        try {
            Method m = owner.getMethod(kernel.getName(), kernel.getParameterTypes());
            if (!Modifier.isStatic(m.getModifiers())) {
                throw new IllegalStateException("variant " + KernelCall.describe(m) + " must be static");
            }
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("registered variant " + owner.getSimpleName() + "." + kernel.getName()
                    + " of kernel " + KernelCall.describe(kernel) + " does not exist with the kernel's parameter types", e);
        }
    }

    /** Every registered kernel with its variants, in registration order. */
    public static List<Entry> entries() {
        return new ArrayList<>(ENTRIES.values());
    }

    /** The CPU variant of a kernel, if it has one. */
    public static Optional<Method> cpu(Method kernel) {
        Entry e = ENTRIES.get(kernel);
        return e == null ? Optional.empty() : Optional.ofNullable(e.cpu());
    }

    /** The call on its device variant with its launch geometry, or the call itself when the kernel has none. */
    public static KernelCall device(KernelCall call) {
        Entry e = ENTRIES.get(call.method());
        if (e == null || e.device() == null) {
            return call;
        }
        return call.withKernel(e.device(), e.launch().apply(call));
    }
}
