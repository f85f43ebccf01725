package relutornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README and docs/ (docs/testing.md, The docs): the README stays one page with the two commands up front, and
 * every relative link in README.md and docs/*.md reaches a file that exists and, for a {@code #anchor} into a
 * Markdown page, one of that page's headings. Links are read with a regex (inline {@code [text](target)} and
 * images, outside code), which is all these pages use.
 */
class DocsTest {
    /** An inline link or image: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    /** The repository root: the nearest folder above the working directory (a module) holding the README and scripts/test.sh. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isRegularFile(p.resolve("scripts/test.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no README.md with scripts/test.sh above " + Path.of("").toAbsolutePath());
    }

    @Test
    void readmeIsOnePageWithTheTwoCommandsInItsFirst40Lines() throws IOException {
        List<String> lines = Files.readAllLines(root().resolve("README.md"));
        assertTrue(lines.size() <= 200, "README.md has " + lines.size() + " lines; at most 200 (the rest belongs in docs/)");
        String head = String.join("\n", lines.subList(0, Math.min(40, lines.size())));
        for (String command : List.of("scripts/reproduce.sh", "scripts/test.sh")) {
            assertTrue(head.contains(command), command + " not in README.md's first 40 lines");
        }
    }

    @Test
    void everyRelativeLinkInTheReadmeAndDocsResolves() throws IOException {
        Path root = root();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertTrue(pages.size() >= 5, "docs/ should hold the pages the README links to, found " + pages);
        List<String> broken = brokenLinks(root, pages);
        assertEquals(List.of(), broken, "broken links:\n" + String.join("\n", broken));
    }

    /** The checker itself finds a missing file, a missing anchor in another page and in the same page; it accepts the rest. */
    @Test
    void brokenLinksAreFound(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(tmp.resolve("docs/a.md"), "# A page\n\n## Checkpoints and `--resume`\n\nsee [top](#a-page)\n");
        Files.writeString(tmp.resolve("README.md"), String.join("\n",
                "# Title",
                "[ok](docs/a.md) [ok anchor](docs/a.md#checkpoints-and---resume) [web](https://example.org/x.md)",
                "[missing file](docs/b.md) [missing anchor](docs/a.md#nowhere) [self](#no-such-heading)",
                "`[in code](docs/c.md)`",
                "```",
                "[in a fence](docs/d.md)",
                "```",
                "![image](src/missing.png)"));
        List<String> broken = brokenLinks(tmp, List.of(tmp.resolve("README.md"), tmp.resolve("docs/a.md")));
        assertEquals(4, broken.size(), String.join("\n", broken));
        assertTrue(broken.get(0).contains("docs/b.md") && broken.get(0).contains("no such file"), broken.get(0));
        assertTrue(broken.get(1).contains("docs/a.md#nowhere") && broken.get(1).contains("no heading"), broken.get(1));
        assertTrue(broken.get(2).contains("#no-such-heading"), broken.get(2));
        assertTrue(broken.get(3).contains("src/missing.png"), broken.get(3));
    }

    /** "FILE:LINE: TARGET: problem" for each relative link of the pages that does not resolve. */
    static List<String> brokenLinks(Path root, List<Path> pages) {
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = read(page);
            boolean fenced = false;
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n);
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
                while (m.find()) {
                    String target = m.group(1);
                    if (SCHEME.matcher(target).find()) {
                        continue;
                    }
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path to = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                    String where = root.relativize(page) + ":" + (n + 1) + ": " + target + ": ";
                    if (!Files.exists(to)) {
                        broken.add(where + "no such file " + root.relativize(to));
                    } else if (hash >= 0 && to.toString().endsWith(".md")
                            && !anchors.computeIfAbsent(to, DocsTest::anchors).contains(target.substring(hash + 1))) {
                        broken.add(where + "no heading with that anchor in " + root.relativize(to));
                    }
                }
            }
        }
        return broken;
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to '-', repeats numbered. */
    static Set<String> anchors(Path page) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : read(page)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
            }
            Matcher m = HEADING.matcher(line);
            if (fenced || !m.matches()) {
                continue;
            }
            String text = m.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int count = seen.merge(slug, 1, Integer::sum);
            out.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return out;
    }

    private static List<String> read(Path page) {
        try {
            return Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
