package relutornado.engine;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kernel call's arguments by the kernel's parameter names ({@code C}, {@code OC}, {@code OH}, {@code count}...),
 * so the variant registry states shapes and launch geometry by name instead of by argument position. The names
 * come from the class files: the build compiles with {@code -parameters} (pom.xml).
 *
 * @param kernel the kernel the arguments belong to
 * @param byName every argument under its parameter name, in signature order
 */
public record KernelArgs(Method kernel, Map<String, Object> byName) {

    public KernelArgs {
        byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The call's arguments by name (a {@code KernelContext} parameter, which the call omits, is skipped). */
    public static KernelArgs of(KernelCall call) {
        String[] names = names(call.method());
        Object[] args = call.args();
        int skip = names.length - args.length;
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            m.put(names[i + skip], args[i]);
        }
        return new KernelArgs(call.method(), m);
    }

    /** The kernel's parameter names; an error when the class was compiled without {@code -parameters}. */
    public static String[] names(Method kernel) {
        Parameter[] ps = kernel.getParameters();
        String[] names = new String[ps.length];
        for (int i = 0; i < ps.length; i++) {
            if (!ps[i].isNamePresent()) {
                throw new IllegalStateException("kernel " + KernelCall.describe(kernel) + " was compiled without -parameters,"
                        + " so its arguments cannot be found by name (the pom's compiler arguments add it)");
            }
            names[i] = ps[i].getName();
        }
        return names;
    }

    /** The int argument {@code name} (a size, an offset, start or count). */
    public int size(String name) {
        if (get(name) instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException("argument '" + name + "' of kernel " + KernelCall.describe(kernel) + " is not an int");
    }

    /** The argument {@code name} as passed (an array or a boxed scalar). */
    public Object get(String name) {
        Object v = byName.get(name);
        if (v == null) {
            throw new IllegalArgumentException("kernel " + KernelCall.describe(kernel) + " has no argument '" + name
                    + "'; it has " + byName.keySet());
        }
        return v;
    }

    public int start() {
        return size("start");
    }

    public int count() {
        return size("count");
    }
}
