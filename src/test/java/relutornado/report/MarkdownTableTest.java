package relutornado.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {
    @Test
    void headerSeparatorAndRows() {
        assertEquals("| a | b |\n|---|---|\n| 1 | x |\n", new MarkdownTable("a", "b").row(1, "x").toString());
        assertEquals("| k | s/s | × |\n|---|---:|---:|\n", new MarkdownTable(1, "k", "s/s", "×").toString());
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MarkdownTable("a", "b").row("only one"));
        assertEquals("a row of 1 cells in a table of 2 columns", e.getMessage());
    }
}
