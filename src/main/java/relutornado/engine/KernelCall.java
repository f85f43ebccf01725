package relutornado.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * One kernel invocation of a program: a static kernel method and its arguments. By the kernels'
 * convention (see {@code relutornado.kernels}) the last two arguments are {@code (start, count)}, the
 * sub-range of the kernel's outermost {@code @Parallel} loop; engines may split it.
 *
 * @param name   unique task name within the program (TornadoVM task ids are built from it)
 * @param launch launch geometry on a device, or null (a {@code @Parallel} kernel's loops define it); the JVM
 *               engines ignore it. With {@link Launch#kernelContext()} the method's first parameter is
 *               TornadoVM's {@code KernelContext}, which is not among {@code args}.
 */
public record KernelCall(String name, Method method, Object[] args, Launch launch) {
    /** The class of TornadoVM's thread-index argument, named so that the default build needs no tornado-api. */
    public static final String KERNEL_CONTEXT = "uk.ac.manchester.tornado.api.KernelContext";

    public KernelCall {
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException("kernel " + method + " must be static");
        }
        Class<?>[] types = method.getParameterTypes();
        if (launch != null && launch.kernelContext()) {
            if (types.length == 0 || !types[0].getName().equals(KERNEL_CONTEXT)) {
                throw new IllegalArgumentException("kernel " + describe(method) + " is launched with a KernelContext but its first parameter is not one");
            }
            types = Arrays.copyOfRange(types, 1, types.length);
        }
        if (types.length != args.length) {
            throw new IllegalArgumentException("kernel " + name + " (" + describe(method) + ") takes "
                    + types.length + " arguments, got " + args.length);
        }
        if (types.length < 2 || types[types.length - 1] != int.class || types[types.length - 2] != int.class) {
            throw new IllegalArgumentException("kernel " + describe(method) + " must end with (int start, int count)");
        }
        for (int i = 0; i < types.length; i++) {
            Class<?> boxed = box(types[i]);
            if (args[i] == null || !boxed.isInstance(args[i])) {
                throw new IllegalArgumentException("kernel " + name + " (" + describe(method) + "): argument " + i
                        + " must be " + types[i].getSimpleName() + ", got "
                        + (args[i] == null ? "null" : args[i].getClass().getSimpleName()));
            }
        }
        args = args.clone();
    }

    /** A call without launch geometry. */
    public KernelCall(String name, Method method, Object[] args) {
        this(name, method, args, null);
    }

    /** The same arguments on another kernel of the same signature (a CPU or device variant), with its launch. */
    public KernelCall withKernel(Method variant, Launch variantLaunch) {
        return new KernelCall(name, variant, args, variantLaunch);
    }

    /** The argument at {@code index} as an int (a size). */
    public int intArg(int index) {
        return (Integer) args[index];
    }

    /** Finds the kernel {@code kernels.method} (kernel names are not overloaded) and checks the arguments. */
    public static KernelCall of(String name, Class<?> kernels, String method, Object... args) {
        Method found = null;
        for (Method m : kernels.getMethods()) {
            if (m.getName().equals(method) && Modifier.isStatic(m.getModifiers())) {
                if (found != null) {
                    throw new IllegalArgumentException("kernel " + kernels.getSimpleName() + "." + method + " is overloaded");
                }
                found = m;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no kernel " + kernels.getSimpleName() + "." + method);
        }
        return new KernelCall(name, found, args);
    }

    public int start() {
        return (Integer) args[args.length - 2];
    }

    public int count() {
        return (Integer) args[args.length - 1];
    }

    /** The arguments with the parallel range replaced. */
    public Object[] argsForRange(int start, int count) {
        Object[] a = args.clone();
        a[a.length - 2] = start;
        a[a.length - 1] = count;
        return a;
    }

    /** A defensive copy: the arguments are shared arrays, the list itself is not. */
    @Override
    public Object[] args() {
        return args.clone();
    }

    /** Runs the kernel as plain Java with the given arguments. */
    public void invoke(Object[] arguments) {
        if (launch != null && launch.kernelContext()) {
            throw new IllegalStateException("kernel " + name + " (" + describe(method) + ") takes a KernelContext: it runs on TornadoVM only");
        }
        try {
            method.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("kernel " + name + " failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("kernel " + name + " is not accessible", e);
        }
    }

    public void invoke() {
        invoke(args);
    }

    public static String describe(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }

    private static Class<?> box(Class<?> t) {
        if (t == int.class) {
            return Integer.class;
        }
        if (t == float.class) {
            return Float.class;
        }
        if (t == long.class) {
            return Long.class;
        }
        if (t == double.class) {
            return Double.class;
        }
        return t;
    }

    @Override
    public String toString() {
        return name + "=" + describe(method) + Arrays.toString(Arrays.stream(args)
                .map(a -> a instanceof float[] f ? "float[" + f.length + "]" : a instanceof int[] i ? "int[" + i.length + "]" : a)
                .toArray()) + (launch == null ? "" : " " + launch);
    }
}
