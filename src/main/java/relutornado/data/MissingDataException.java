package relutornado.data;

/**
 * A data set's files are not where {@link DataSources} looks for them. An IllegalStateException,
 * since nothing is wrong with the request, only with the set-up; the message lists the paths tried
 * and how to fix it (scripts/setup.sh or --data-dir).
 */
public class MissingDataException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public MissingDataException(String message) {
        super(message);
    }
}
