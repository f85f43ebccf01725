package relutornado.report;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * A small JSON writer (RFC 8259) for run reports, pretty-printed with a 2-space indent.
 * <ul>
 *   <li>{@link Map}: an object in the map's iteration order (callers use LinkedHashMap); keys may be
 *       String, enum (its name), Number, Boolean or Character;</li>
 *   <li>records: an object of their components, in declaration order;</li>
 *   <li>{@link Collection} and arrays (primitive or not): an array; one whose elements are all
 *       scalars stays on one line, so a long vector does not take one line per number;</li>
 *   <li>String and Character: a string, escaping '"', '\', control characters and everything
 *       outside printable ASCII as \\uXXXX (so the output is ASCII whatever the file encoding);</li>
 *   <li>Number: integers as they are, double/float in Java's shortest round-trip form, NaN and
 *       infinities as null (JSON has no such numbers; Python's json writes invalid NaN tokens);</li>
 *   <li>Boolean, null, and enums (by name).</li>
 * </ul>
 * Anything else is refused with the JSON path of the offending value, rather than written as an
 * arbitrary toString().
 */
public final class Json {
    private static final String INDENT = "  ";
    /** Deeper nesting than this is taken to be a cycle (a map containing itself). */
    private static final int MAX_DEPTH = 200;

    private Json() {
    }

    /** {@code value} as pretty-printed JSON, without a trailing newline. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0, "$");
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, int depth, String path) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH + " at " + path + " (a cycle?)");
        }
        if (isScalar(v)) {
            writeScalar(out, v);
        } else if (v instanceof Map<?, ?> map) {
            writeObject(out, map, depth, path);
        } else if (v instanceof Record record) {
            writeRecord(out, record, depth, path);
        } else if (v instanceof Collection<?> c) {
            writeArray(out, c.toArray(), depth, path);
        } else if (v.getClass().isArray()) {
            writeArray(out, boxed(v), depth, path);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON at " + path);
        }
    }

    private static boolean isScalar(Object v) {
        return v == null || v instanceof String || v instanceof Character || v instanceof Number || v instanceof Boolean
                || v instanceof Enum<?>;
    }

    private static void writeScalar(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String || v instanceof Character) {
            quote(out, v.toString());
        } else if (v instanceof Enum<?> e) {
            quote(out, e.name());
        } else if (v instanceof Boolean b) {
            out.append(b);
        } else {
            out.append(number((Number) v));
        }
    }

    /** A JSON number, or null for NaN and infinities. */
    static String number(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger || n instanceof BigDecimal) {
            return n.toString(); // BigDecimal's "1E+3" is valid JSON too
        }
        if (n instanceof Float f) {
            // Float.toString, not the widened double's 0.10000000149011612
            return f.isNaN() || f.isInfinite() ? "null" : f.toString();
        }
        double d = n.doubleValue(); // Double, and any other Number (AtomicLong, ...) by its double value
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (!(n instanceof Double) && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d); // "1.0E-5": Java's exponent form is valid JSON
    }

    /** s as a JSON string literal; escapes per RFC 8259 section 7, plus all non-ASCII as \\uXXXX. */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        // a supplementary character is already two UTF-16 surrogates here: \\ud83d\\ude00
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, int depth, String path) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        String sep = "\n";
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = key(e.getKey(), path);
            out.append(sep);
            indent(out, depth + 1);
            quote(out, key);
            out.append(": ");
            write(out, e.getValue(), depth + 1, path + "." + key);
            sep = ",\n";
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
    }

    private static String key(Object k, String path) {
        if (k instanceof String s) {
            return s;
        }
        if (k instanceof Enum<?> e) {
            return e.name();
        }
        if (k instanceof Number || k instanceof Boolean || k instanceof Character) {
            return k.toString();
        }
        throw new IllegalArgumentException("JSON object keys must be strings, enums, numbers, booleans or characters; got "
                + (k == null ? "null" : k.getClass().getName()) + " in " + path);
    }

    private static void writeRecord(StringBuilder out, Record record, int depth, String path) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        if (components.length == 0) {
            out.append("{}");
            return;
        }
        out.append('{');
        String sep = "\n";
        for (RecordComponent rc : components) {
            out.append(sep);
            indent(out, depth + 1);
            quote(out, rc.getName());
            out.append(": ");
            write(out, component(record, rc, path), depth + 1, path + "." + rc.getName());
            sep = ",\n";
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
    }

    private static Object component(Record record, RecordComponent rc, String path) {
        Method accessor = rc.getAccessor();
        try {
            // a record nested privately (or package-private elsewhere) has an accessor we may not call otherwise
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read record component " + rc.getName() + " of "
                    + record.getClass().getName() + " at " + path + ": " + e, e);
        }
    }

    private static void writeArray(StringBuilder out, Object[] items, int depth, String path) {
        if (items.length == 0) {
            out.append("[]");
            return;
        }
        boolean inline = true;
        for (Object item : items) {
            inline &= isScalar(item);
        }
        out.append('[');
        for (int i = 0; i < items.length; i++) {
            if (inline) {
                out.append(i == 0 ? "" : ", ");
            } else {
                out.append(i == 0 ? "\n" : ",\n");
                indent(out, depth + 1);
            }
            write(out, items[i], depth + 1, path + "[" + i + "]");
        }
        if (!inline) {
            out.append('\n');
            indent(out, depth);
        }
        out.append(']');
    }

    /** Elements of any array (int[], double[], String[], ...) as objects. */
    private static Object[] boxed(Object array) {
        Object[] items = new Object[Array.getLength(array)];
        for (int i = 0; i < items.length; i++) {
            items[i] = Array.get(array, i);
        }
        return items;
    }

    private static void indent(StringBuilder out, int depth) {
        out.append(INDENT.repeat(depth));
    }
}
