package relutornado.report;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A GitHub Markdown table: a header, its separator row ({@code ---:} right-aligns a column), then rows. */
public final class MarkdownTable {
    private final StringBuilder text = new StringBuilder();
    private final int columns;

    /** Left-aligned columns. */
    public MarkdownTable(String... header) {
        this(header.length, header);
    }

    /** Columns from index {@code rightFrom} on are right-aligned (numbers). */
    public MarkdownTable(int rightFrom, String... header) {
        columns = header.length;
        line((Object[]) header);
        String[] separator = new String[columns];
        for (int c = 0; c < columns; c++) {
            separator[c] = c < rightFrom ? "---" : "---:";
        }
        text.append('|').append(String.join("|", separator)).append("|\n");
    }

    /** One row; each cell is written as its toString. */
    public MarkdownTable row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns + " columns");
        }
        return line(cells);
    }

    private MarkdownTable line(Object... cells) {
        text.append(Arrays.stream(cells).map(String::valueOf).collect(Collectors.joining(" | ", "| ", " |\n")));
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
