package relutornado.engine;

import java.util.Arrays;
import java.util.List;

/**
 * The one parser of flags that take a fixed set of words ({@code --engine}, {@code --cpu-kernels},
 * {@code --device-kernels}, {@code --head}, ...): an enum constant is matched by its {@code toString()} (the flag
 * value), ignoring case, so that every such flag's error reads the same and lists the allowed words.
 */
public final class FlagWord {
    private FlagWord() {
    }

    /** The constant whose word is {@code value}; else an IllegalArgumentException "expected one of [...] but was '...'". */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("expected one of " + words(type) + " but was '" + value + "'");
    }

    /** As {@link #parse(Class, String)}, the message in picocli's words: "Invalid value for option '--flag': ...". */
    public static <E extends Enum<E>> E parse(Class<E> type, String flag, String value) {
        try {
            return parse(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for option '" + flag + "': " + e.getMessage(), e);
        }
    }

    /** The flag values of an enum, in declaration order. */
    public static <E extends Enum<E>> List<String> words(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
    }
}
