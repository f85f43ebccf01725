package relutornado.engine.tornado;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.common.TaskPackage;
import uk.ac.manchester.tornado.api.common.TornadoFunctions;

/**
 * Turns a {@link relutornado.engine.KernelCall} (a static kernel {@link Method} and its arguments)
 * into a TornadoVM task. TornadoVM finds a task's method by reading the bytecode of the lambda it is
 * given (the first invokestatic of its {@code apply}). For {@code Dense::forward} javac emits an
 * invokedynamic whose bootstrap is {@link LambdaMetafactory#metafactory} over the kernel's method handle;
 * this class makes the same call at run time, so TornadoVM sees the lambda a method reference would give
 * it, for every kernel and variant, without a hand-kept table of method references to drift from the
 * kernel registry. The engine checks the contract on every profiled run: TornadoVM's profiler names the
 * method it compiled for each task, which must be the call's kernel ({@link ProfileLog#checkMethod}).
 */
final class Tasks {
    /** TornadoVM's TaskN interfaces by arity (its TaskPackage takes up to 20 arguments). */
    private static final Class<?>[] TASK_INTERFACES = {
        TornadoFunctions.Task.class, TornadoFunctions.Task1.class, TornadoFunctions.Task2.class, TornadoFunctions.Task3.class,
        TornadoFunctions.Task4.class, TornadoFunctions.Task5.class, TornadoFunctions.Task6.class, TornadoFunctions.Task7.class,
        TornadoFunctions.Task8.class, TornadoFunctions.Task9.class, TornadoFunctions.Task10.class, TornadoFunctions.Task11.class,
        TornadoFunctions.Task12.class, TornadoFunctions.Task13.class, TornadoFunctions.Task14.class, TornadoFunctions.Task15.class,
        TornadoFunctions.Task16.class, TornadoFunctions.Task17.class, TornadoFunctions.Task18.class, TornadoFunctions.Task19.class,
        TornadoFunctions.Task20.class,
    };

    private Tasks() {
    }

    /** Adds {@code method(args)} to the graph as task {@code id}. */
    static void add(TaskGraph graph, String id, Method method, Object[] args) {
        int n = args.length;
        if (n >= TASK_INTERFACES.length) {
            throw new IllegalArgumentException("kernel " + method.getName() + " has " + n + " arguments; TornadoVM tasks take at most "
                    + (TASK_INTERFACES.length - 1) + " here");
        }
        try {
            Class<?>[] types = new Class<?>[n + 2];
            types[0] = String.class;
            types[1] = TASK_INTERFACES[n];
            java.util.Arrays.fill(types, 2, types.length, Object.class); // TaskPackage's generics are erased
            Object[] values = new Object[n + 2];
            values[0] = id;
            values[1] = lambdaFor(method, TASK_INTERFACES[n]);
            System.arraycopy(args, 0, values, 2, n);
            graph.addTask(TaskPackage.class.getConstructor(types).newInstance(values));
        } catch (Throwable e) {
            throw new IllegalStateException("cannot make a TornadoVM task of kernel " + method.getDeclaringClass().getSimpleName() + "."
                    + method.getName() + ": " + e, e);
        }
    }

    /** An instance of TaskN whose apply(Object...) calls the static kernel (unboxing scalars). */
    private static Object lambdaFor(Method method, Class<?> taskInterface) throws Throwable {
        int n = method.getParameterCount();
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(method.getDeclaringClass(), MethodHandles.lookup());
        MethodHandle impl = lookup.unreflect(method);
        return LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(taskInterface),
                MethodType.genericMethodType(n).changeReturnType(void.class),
                impl, impl.type().wrap().changeReturnType(void.class)).getTarget().invoke();
    }
}
