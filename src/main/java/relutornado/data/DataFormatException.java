package relutornado.data;

import java.nio.file.Path;

/**
 * A data file that cannot be used: wrong magic number, truncated, bad cell, unknown label.
 * The message always starts with the file's path, so a user sees which file to replace.
 */
public class DataFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "path: problem", the one message shape every reader uses. */
    public static DataFormatException of(Path file, String problem) {
        return new DataFormatException(file + ": " + problem);
    }

    public static DataFormatException of(Path file, String problem, Throwable cause) {
        return new DataFormatException(file + ": " + problem, cause);
    }
}
