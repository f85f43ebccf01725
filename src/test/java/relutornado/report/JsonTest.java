package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import relutornado.metrics.ClassificationReport;

class JsonTest {

    enum Kind { SOFTMAX, RELU }

    record Inner(double v, Kind kind) {
    }

    private record Outer(String name, int[] sizes, Inner inner, List<Inner> more) {
    }

    @Test
    void escapesQuotesBackslashesControlAndNonAscii() {
        String s = "a\"b\\c\n\t\r\b\f\u0001\u001f\u007f/é😀";
        assertEquals("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f/\\u00e9\\ud83d\\ude00\"", Json.write(s));
        assertEquals("\"\\u0000\"", Json.write("\0"));
        assertEquals("\"x\"", Json.write('x'));
        assertEquals("\"\"", Json.write(""));
    }

    @Test
    void scalars() {
        assertEquals("null", Json.write(null));
        assertEquals("true", Json.write(true));
        assertEquals("42", Json.write(42));
        assertEquals("-9223372036854775808", Json.write(Long.MIN_VALUE));
        assertEquals("0.1", Json.write(0.1f)); // not the widened 0.10000000149011612
        assertEquals("0.25", Json.write(0.25));
        assertEquals("1.0", Json.write(1.0));
        assertEquals("1.0E-5", Json.write(1e-5)); // exponent form is valid JSON
        assertEquals("12.50", Json.write(new BigDecimal("12.50")));
        assertEquals("null", Json.write(Double.NaN));
        assertEquals("null", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("null", Json.write(Float.NEGATIVE_INFINITY));
        assertEquals("\"RELU\"", Json.write(Kind.RELU));
    }

    @Test
    void nestedMapsAndListsKeepInsertionOrder() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("ok", true);
        nested.put("none", null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", "run");
        m.put("a", 3);
        m.put("acc", new double[] {0.5, 0.25, Double.NaN});
        m.put("nested", nested);
        m.put("empty", Map.of());
        m.put("emptyList", List.of());
        m.put("list", List.of(Map.of("x", 1), List.of("p", "q")));
        m.put("names", new String[] {"a", "b"});
        m.put("flags", new boolean[] {true, false});
        assertEquals("""
                {
                  "z": "run",
                  "a": 3,
                  "acc": [0.5, 0.25, null],
                  "nested": {
                    "ok": true,
                    "none": null
                  },
                  "empty": {},
                  "emptyList": [],
                  "list": [
                    {
                      "x": 1
                    },
                    ["p", "q"]
                  ],
                  "names": ["a", "b"],
                  "flags": [true, false]
                }""", Json.write(m));
    }

    @Test
    void recordsInComponentOrder() {
        Outer o = new Outer("fold \"1\"", new int[] {3, 4}, new Inner(0.5, Kind.SOFTMAX), List.of(new Inner(Double.NaN, null)));
        assertEquals("""
                {
                  "name": "fold \\"1\\"",
                  "sizes": [3, 4],
                  "inner": {
                    "v": 0.5,
                    "kind": "SOFTMAX"
                  },
                  "more": [
                    {
                      "v": null,
                      "kind": null
                    }
                  ]
                }""", Json.write(o));
        assertEquals("""
                {
                  "weighted_avg": {
                    "precision": 0.5,
                    "recall": 0.25,
                    "f1": 0.0,
                    "support": 7
                  }
                }""", Json.write(Map.of("weighted_avg", new ClassificationReport.Averages(0.5, 0.25, 0, 7))));
    }

    @Test
    void nonStringKeys() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(Kind.RELU, 1);
        m.put(2, "two");
        assertEquals("{\n  \"RELU\": 1,\n  \"2\": \"two\"\n}", Json.write(m));
    }

    @Test
    void refusesWhatItCannotWrite() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("list", List.of(1, new Object()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(m));
        assertTrue(e.getMessage().contains("cannot write java.lang.Object as JSON at $.list[1]"), e.getMessage());

        Map<Object, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        e = assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("outer", nullKey)));
        assertTrue(e.getMessage().contains("got null in $.outer"), e.getMessage());

        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        e = assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
        assertTrue(e.getMessage().contains("(a cycle?)"), e.getMessage());
    }
}
