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
 * @param name unique task name within the program (TornadoVM task ids are built from it)
 */
public record KernelCall(String name, Method method, Object[] args) {

    public KernelCall {
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException("kernel " + method + " must be static");
        }
        Class<?>[] types = method.getParameterTypes();
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

    static String describe(Method m) {
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
                .toArray());
    }
}
