package relutornado.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static relutornado.data.IdxReaderTest.assertFails;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WdbcReaderTest {

    @TempDir
    Path tmp;

    /** 30 feature cells of row r: "r.f" style values that floats hold exactly enough to compare. */
    static List<String> features(int r) {
        List<String> cells = new ArrayList<>();
        for (int f = 0; f < 30; f++) {
            cells.add(r + "." + f + "5");
        }
        return cells;
    }

    static float feature(int r, int f) {
        return Float.parseFloat(r + "." + f + "5");
    }

    /** sklearn layout: header, then 30 features and the target. */
    static String sklearn(int[] targets) {
        StringBuilder sb = new StringBuilder(targets.length + ",30,malignant,benign\n");
        for (int r = 0; r < targets.length; r++) {
            sb.append(String.join(",", features(r))).append(',').append(targets[r]).append('\n');
        }
        return sb.toString();
    }

    /** UCI layout: id, diagnosis, 30 features. */
    static String uci(String[] diagnoses) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < diagnoses.length; r++) {
            sb.append(842302 + r).append(',').append(diagnoses[r]).append(',').append(String.join(",", features(r))).append('\n');
        }
        return sb.toString();
    }

    Path write(String name, String content) {
        return IdxFiles.write(tmp.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsSklearnLayoutExactly() {
        Dataset d = WdbcReader.read(write("breast_cancer.csv", sklearn(new int[] {0, 1, 1})));
        assertEquals(3, d.rows());
        assertEquals(30, d.features());
        assertEquals(List.of("malignant", "benign"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, d.y());
        for (int r = 0; r < 3; r++) {
            for (int f = 0; f < 30; f++) {
                assertEquals(feature(r, f), d.x()[r * 30 + f], "row " + r + " feature " + f);
            }
        }
    }

    @Test
    void uciAndSklearnLayoutsAgree() {
        Dataset s = WdbcReader.read(write("breast_cancer.csv", sklearn(new int[] {0, 1, 0})));
        Dataset u = WdbcReader.read(write("wdbc.data", uci(new String[] {"M", "B", "M"})));
        assertArrayEquals(s.x(), u.x());
        assertArrayEquals(s.y(), u.y());
        assertEquals(s.classNames(), u.classNames());
        assertEquals(WdbcReader.MALIGNANT, u.y()[0]);
        assertEquals(WdbcReader.BENIGN, u.y()[1]);
    }

    @Test
    void toleratesBlankLinesAndSpaces() {
        String content = sklearn(new int[] {1, 0}).replace("\n", " \n") + "\n\n";
        Dataset d = WdbcReader.read(write("spaced.csv", content));
        assertArrayEquals(new int[] {1, 0}, d.y());
    }

    @Test
    void rejectsEmptyFile() {
        assertFails(() -> WdbcReader.read(write("empty.csv", "")), "empty.csv", "empty file");
        assertFails(() -> WdbcReader.read(write("blank.csv", "\n \n")), "blank.csv", "empty file");
    }

    @Test
    void rejectsUnrecognisedLayout() {
        assertFails(() -> WdbcReader.read(write("other.csv", "a,b,c\n1,2,3\n")), "other.csv", "line 1: unrecognised layout (3 columns)");
    }

    @Test
    void rejectsWrongColumnCount() {
        String sk = sklearn(new int[] {0, 1, 1});
        String[] lines = sk.split("\n");
        lines[2] = lines[2].substring(0, lines[2].lastIndexOf(',')); // drop the target of the second data row
        assertFails(() -> WdbcReader.read(write("short.csv", String.join("\n", lines))), "short.csv",
                "line 3: wrong column count 30, expected 31");
        String u = uci(new String[] {"M", "B"}) + "1,M,1.0\n";
        assertFails(() -> WdbcReader.read(write("wdbc.data", u)), "wdbc.data", "line 3: wrong column count 3, expected 32");
    }

    @Test
    void rejectsNonNumericCells() {
        String sk = sklearn(new int[] {0, 1}).replace("1.35,", "1.3x5,");
        assertFails(() -> WdbcReader.read(write("letters.csv", sk)), "letters.csv", "line 3, column 4: non-numeric cell '1.3x5' (feature 4)");
        String javaOnly = sklearn(new int[] {0, 1}).replace("0.05,", "0x1p3,");
        assertFails(() -> WdbcReader.read(write("hex.csv", javaOnly)), "hex.csv", "non-numeric cell '0x1p3'");
        String empty = sklearn(new int[] {0, 1}).replace("0.05,", ",");
        assertFails(() -> WdbcReader.read(write("hole.csv", empty)), "hole.csv", "line 2, column 1: non-numeric cell ''");
        String badId = uci(new String[] {"M", "B"}).replace("842303,", "84x303,");
        assertFails(() -> WdbcReader.read(write("wdbc.data", badId)), "wdbc.data", "line 2, column 1: id '84x303' is not an integer");
    }

    @Test
    void rejectsNanAndInfinity() {
        String nan = sklearn(new int[] {0, 1}).replace("1.05,", "NaN,");
        assertFails(() -> WdbcReader.read(write("nan.csv", nan)), "nan.csv", "line 3, column 1: NaN/Inf value 'NaN'");
        String inf = uci(new String[] {"M", "B"}).replace("0.285,", "-inf,");
        assertFails(() -> WdbcReader.read(write("inf.data", inf)), "inf.data", "line 1, column 31: NaN/Inf value '-inf'");
        String overflow = sklearn(new int[] {0, 1}).replace("0.15,", "1e39,");
        assertFails(() -> WdbcReader.read(write("big.csv", overflow)), "big.csv", "outside the float range");
    }

    @Test
    void rejectsUnknownLabels() {
        assertFails(() -> WdbcReader.read(write("two.csv", sklearn(new int[] {0, 2, 1}))), "two.csv",
                "line 3, column 31: unknown label 2, expected 0 (malignant) or 1 (benign)");
        String text = sklearn(new int[] {0, 1}).replaceFirst(",1\n", ",benign\n");
        assertFails(() -> WdbcReader.read(write("text.csv", text)), "text.csv", "target 'benign' is not an integer");
        assertFails(() -> WdbcReader.read(write("wdbc.data", uci(new String[] {"M", "X"}))), "wdbc.data",
                "line 2, column 2: unknown diagnosis 'X', expected M or B");
    }

    @Test
    void rejectsHeaderCountMismatch() {
        String sk = sklearn(new int[] {0, 1, 1}).replaceFirst("^3,", "4,");
        assertFails(() -> WdbcReader.read(write("count.csv", sk)), "count.csv", "line 1: header says 4 samples but the file has 3 data rows");
        String feats = sklearn(new int[] {0, 1}).replaceFirst("^2,30,", "2,31,");
        assertFails(() -> WdbcReader.read(write("feats.csv", feats)), "feats.csv", "header says 31 features, WDBC has 30");
        String names = sklearn(new int[] {0, 1}).replaceFirst("malignant,benign", "benign,malignant");
        assertFails(() -> WdbcReader.read(write("names.csv", names)), "names.csv", "names classes [benign, malignant], expected [malignant, benign]");
        assertFails(() -> WdbcReader.read(write("cells.csv", "2,30,malignant\n")), "cells.csv", "header has 3 cells, expected 4");
        assertFails(() -> WdbcReader.read(write("only-header.csv", "569,30,malignant,benign\n")), "only-header.csv",
                "says 569 samples but the file has 0 data rows");
    }

    @Test
    void rejectsBrokenCsvQuoting() {
        String broken = "\"569,30,malignant,benign\n" + String.join(",", features(0)) + ",0\n";
        assertFails(() -> WdbcReader.read(write("quote.csv", broken)), "quote.csv", "");
    }

    @Test
    void missingFileNamesThePath() {
        assertFails(() -> WdbcReader.read(tmp.resolve("absent.csv")), "absent.csv", "file not found");
    }

    /** Found as an input class by fuzzing (WdbcFuzzTestInputs/.../invalid-utf8): the message said "Input length = 1". */
    @Test
    void bytesThatAreNotUtf8AreNamedAsSuch() {
        Path p = IdxFiles.write(tmp.resolve("breast_cancer.csv"), new byte[] {'5', ',', '3', '0', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        assertFails(() -> WdbcReader.read(p), "breast_cancer.csv", "not UTF-8 text");
    }
}
