package dev.ambassadorlab.ambassador.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One table of the lab's documentation (README.md, or a page under docs/ that it links to), found by its header row, as
 * rows of cells (the markdown of each cell, trimmed). The tests that compare the documentation with the code read it,
 * so a table that drifts from the code fails the build.
 */
public final class ReadmeTable {
    /** The lab's README, seen from a module's directory (where Maven runs its tests). */
    public static final Path README = Path.of("..", "README.md");
    /** The README's page on one request in detail: the error codes and how a request ended, among others. */
    public static final Path REQUEST_LIFECYCLE = Path.of("..", "docs", "request-lifecycle.md");

    private ReadmeTable() {
    }

    /**
     * The rows under the first table of the document whose header row has exactly these cells.
     *
     * @throws AssertionError when the document has no such table
     */
    public static List<List<String>> rows(Path document, String... header) {
        List<String> lines = lines(document);
        List<String> wanted = List.of(header);
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (!lines.get(i).startsWith("|") || !cells(lines.get(i)).equals(wanted)) continue;
            List<List<String>> rows = new ArrayList<>();
            for (int row = i + 2; row < lines.size() && lines.get(row).startsWith("|"); row++) {
                rows.add(cells(lines.get(row)));
            }
            return rows;
        }
        throw new AssertionError(document.normalize() + " has no table with the header | " + String.join(" | ", header)
                + " |");
    }

    /** A cell's text without the backticks around it: "`CAT_API_URL`" is "CAT_API_URL". */
    public static String unquoted(String cell) {
        return cell.length() > 1 && cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    private static List<String> lines(Path document) {
        try {
            return Files.readAllLines(document);
        } catch (IOException missing) {
            throw new UncheckedIOException("the tests compare " + document.normalize() + " with the code and cannot read it",
                    missing);
        }
    }
}
