package relutornado.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the Wisconsin Diagnostic Breast Cancer data (569 rows, 30 features, 2 classes) in either
 * of its two common layouts, told apart by the first line:
 * <ul>
 *   <li>UCI {@code wdbc.data}: no header; 32 columns: id, diagnosis (M or B), 30 features.</li>
 *   <li>sklearn's {@code breast_cancer.csv}: a header {@code 569,30,malignant,benign}
 *       (n_samples, n_features, class names), then rows of 30 features and the target
 *       (0 = malignant, 1 = benign).</li>
 * </ul>
 * Both give the labels sklearn's {@code load_breast_cancer()} gives: M -> 0 (malignant), B -> 1 (benign).
 * Every problem is a {@link DataFormatException} naming the file, the line and the cell.
 */
public final class WdbcReader {

    public static final int FEATURES = 30;
    public static final List<String> CLASS_NAMES = List.of("malignant", "benign");
    public static final int MALIGNANT = 0;
    public static final int BENIGN = 1;
    static final int UCI_COLUMNS = 2 + FEATURES;
    static final int SKLEARN_COLUMNS = FEATURES + 1;

    /** A plain decimal number; rejects Java's extras ("1f", "0x1p3", "NaN") that Float.parseFloat accepts. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

    private WdbcReader() {
    }

    public static Dataset read(Path file) {
        List<CSVRecord> records = parse(file);
        if (records.isEmpty()) {
            throw DataFormatException.of(file, "empty file: expected WDBC data (UCI wdbc.data or sklearn breast_cancer.csv)");
        }
        CSVRecord first = records.get(0);
        if (first.size() == UCI_COLUMNS) {
            return readUci(file, records);
        }
        if (first.size() >= 2 && INTEGER.matcher(first.get(0)).matches() && INTEGER.matcher(first.get(1)).matches()) {
            return readSklearn(file, records);
        }
        throw DataFormatException.of(file, "line " + first.getRecordNumber() + ": unrecognised layout (" + first.size()
                + " columns); expected UCI wdbc.data (" + UCI_COLUMNS + " columns: id, diagnosis M/B, " + FEATURES
                + " features) or sklearn breast_cancer.csv (header 'n_samples," + FEATURES + ",malignant,benign', then "
                + SKLEARN_COLUMNS + " columns)");
    }

    /** All non-blank records; record numbers equal line numbers since blank lines are kept as records and skipped here. */
    private static List<CSVRecord> parse(Path file) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).setTrim(true).build();
        List<CSVRecord> records = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = format.parse(reader)) {
            for (CSVRecord r : parser) {
                boolean blank = r.size() == 1 && r.get(0).isEmpty();
                if (!blank) {
                    records.add(r);
                }
            }
        } catch (NoSuchFileException e) {
            throw DataFormatException.of(file, "file not found", e);
        } catch (IOException | UncheckedIOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.nio.charset.CharacterCodingException) {
                    throw DataFormatException.of(file, "not UTF-8 text (a byte sequence that is not UTF-8); expected a CSV text file", e);
                }
            }
            throw DataFormatException.of(file, "cannot parse as CSV: " + e.getMessage(), e);
        }
        return records;
    }

    private static Dataset readUci(Path file, List<CSVRecord> records) {
        int rows = records.size();
        float[] x = new float[rows * FEATURES];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            CSVRecord rec = records.get(r);
            checkColumns(file, rec, UCI_COLUMNS, "id, diagnosis, " + FEATURES + " features");
            if (!INTEGER.matcher(rec.get(0)).matches()) {
                throw cellError(file, rec, 0, "id '" + rec.get(0) + "' is not an integer");
            }
            y[r] = switch (rec.get(1)) {
                case "M" -> MALIGNANT;
                case "B" -> BENIGN;
                default -> throw cellError(file, rec, 1, "unknown diagnosis '" + rec.get(1) + "', expected M or B");
            };
            readFeatures(file, rec, 2, x, r * FEATURES);
        }
        return new Dataset("wdbc", x, y, rows, FEATURES, CLASS_NAMES);
    }

    private static Dataset readSklearn(Path file, List<CSVRecord> records) {
        CSVRecord header = records.get(0);
        String where = "line " + header.getRecordNumber() + ": header ";
        if (header.size() != 4) {
            throw DataFormatException.of(file, where + "has " + header.size() + " cells, expected 4: n_samples,"
                    + FEATURES + ",malignant,benign");
        }
        int samples = parseHeaderInt(file, header, 0, where);
        int features = parseHeaderInt(file, header, 1, where);
        if (samples < 1) {
            throw DataFormatException.of(file, where + "says " + samples + " samples, expected at least 1");
        }
        if (features != FEATURES) {
            throw DataFormatException.of(file, where + "says " + features + " features, WDBC has " + FEATURES);
        }
        List<String> names = List.of(header.get(2), header.get(3));
        if (!names.equals(CLASS_NAMES)) {
            throw DataFormatException.of(file, where + "names classes " + names + ", expected " + CLASS_NAMES);
        }
        int rows = records.size() - 1;
        if (rows != samples) {
            throw DataFormatException.of(file, where + "says " + samples + " samples but the file has " + rows + " data rows");
        }
        float[] x = new float[rows * FEATURES];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            CSVRecord rec = records.get(r + 1);
            checkColumns(file, rec, SKLEARN_COLUMNS, FEATURES + " features and the target");
            readFeatures(file, rec, 0, x, r * FEATURES);
            String target = rec.get(FEATURES);
            if (!INTEGER.matcher(target).matches()) {
                throw cellError(file, rec, FEATURES, "target '" + target + "' is not an integer, expected 0 (malignant) or 1 (benign)");
            }
            // compare as text first: a huge integer would overflow Integer.parseInt
            y[r] = switch (target.replaceFirst("^\\+", "")) {
                case "0" -> MALIGNANT;
                case "1" -> BENIGN;
                default -> throw cellError(file, rec, FEATURES, "unknown label " + target + ", expected 0 (malignant) or 1 (benign)");
            };
        }
        return new Dataset("wdbc", x, y, rows, FEATURES, CLASS_NAMES);
    }

    private static void checkColumns(Path file, CSVRecord rec, int expected, String layout) {
        if (rec.size() != expected) {
            throw DataFormatException.of(file, "line " + rec.getRecordNumber() + ": wrong column count " + rec.size()
                    + ", expected " + expected + " (" + layout + ")");
        }
    }

    /** Copies FEATURES cells starting at column `from` into x[at..], each a finite float. */
    private static void readFeatures(Path file, CSVRecord rec, int from, float[] x, int at) {
        for (int f = 0; f < FEATURES; f++) {
            String cell = rec.get(from + f);
            if (NON_FINITE.matcher(cell).matches()) {
                throw cellError(file, rec, from + f, "NaN/Inf value '" + cell + "' (feature " + (f + 1) + ")");
            }
            if (!DECIMAL.matcher(cell).matches()) {
                throw cellError(file, rec, from + f, "non-numeric cell '" + cell + "' (feature " + (f + 1) + ")");
            }
            float v = Float.parseFloat(cell);
            if (!Float.isFinite(v)) {
                throw cellError(file, rec, from + f, "value '" + cell + "' is outside the float range (feature " + (f + 1) + ")");
            }
            x[at + f] = v;
        }
    }

    private static int parseHeaderInt(Path file, CSVRecord header, int column, String where) {
        try {
            return Integer.parseInt(header.get(column));
        } catch (NumberFormatException e) {
            throw DataFormatException.of(file, where + "cell " + (column + 1) + " '" + header.get(column) + "' is not an int", e);
        }
    }

    private static DataFormatException cellError(Path file, CSVRecord rec, int column, String problem) {
        return DataFormatException.of(file, "line " + rec.getRecordNumber() + ", column " + (column + 1) + ": " + problem);
    }
}
