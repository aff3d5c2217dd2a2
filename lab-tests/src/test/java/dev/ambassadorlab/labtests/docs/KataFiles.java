package dev.ambassadorlab.labtests.docs;

import dev.ambassadorlab.labtests.pod.LabPod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The kata as text: its exercises, their hints, their starter and solution files, and the TODO comments in them. */
final class KataFiles {
    static final Path EXERCISES = Path.of("exercises");
    static final Path SOLUTIONS = Path.of("solutions");
    /** The texts about an exercise, not its code: they differ between the two trees by design. */
    static final List<String> DOCUMENTS = List.of("README.md", "HINTS.md");
    private static final Pattern HINT = Pattern.compile("^\\d+\\. (.*)");
    private static final Pattern CONTINUED = Pattern.compile("^ {3,}(\\S.*)");
    private static final Pattern COMMENT = Pattern.compile("^\\s*(//|#|/?\\*)");

    /** A TODO comment: its first and last line, 0-based. */
    record TodoBlock(int first, int last) {
        boolean contains(int line) {
            return line >= first && line <= last;
        }
    }

    private KataFiles() {
    }

    /** The exercise directories' names, such as 02-retries, in order; not 00, which has no code and no hints. */
    static List<String> exercises() {
        return directories(EXERCISES).stream().filter(name -> !name.startsWith("00-")).toList();
    }

    static List<String> directories(Path tree) {
        try (Stream<Path> list = Files.list(LabPod.ROOT.resolve(tree))) {
            return list.filter(Files::isDirectory).map(dir -> dir.getFileName().toString())
                    .filter(name -> name.matches("\\d\\d-.+")).sorted().toList();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    static String number(String exercise) {
        return exercise.substring(0, 2);
    }

    /** The hints in the exercise's HINTS.md, as ./lab hint shows them; none when the file is missing. */
    static List<String> hints(String exercise) {
        Path file = EXERCISES.resolve(exercise).resolve("HINTS.md");
        if (!Files.isRegularFile(LabPod.ROOT.resolve(file))) return List.of();
        return numberedItems(RepositoryFiles.text(file).orElseThrow());
    }

    /**
     * The numbered items of a Markdown text, each joined with its indented continuation lines into one line, as
     * {@code ./lab hint} reads them.
     */
    static List<String> numberedItems(String markdown) {
        List<String> items = new ArrayList<>();
        StringBuilder item = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher start = HINT.matcher(line);
            Matcher more = CONTINUED.matcher(line);
            if (start.matches()) {
                if (item != null) items.add(item.toString());
                item = new StringBuilder(start.group(1));
            } else if (item != null && more.matches()) {
                item.append(' ').append(more.group(1));
            } else if (item != null) {
                items.add(item.toString());
                item = null;
            }
        }
        if (item != null) items.add(item.toString());
        return items;
    }

    /** The text of a Markdown section ("## Steps"), without its heading; empty when there is none. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n## " + heading + "\n");
        if (start < 0) return "";
        int body = start + heading.length() + 5;
        int next = markdown.indexOf("\n## ", body);
        return markdown.substring(body, next < 0 ? markdown.length() : next);
    }

    /** The code files of one exercise in one tree, relative to the exercise's directory; the documents left out. */
    static TreeSet<Path> codeFiles(Path tree, String exercise) {
        Path dir = LabPod.ROOT.resolve(tree).resolve(exercise);
        TreeSet<Path> files = new TreeSet<>();
        if (!Files.isDirectory(dir)) return files;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).map(dir::relativize)
                    .filter(file -> !(file.getNameCount() == 1 && DOCUMENTS.contains(file.toString())))
                    .forEach(files::add);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return files;
    }

    static List<String> lines(Path relative) {
        return List.of(RepositoryFiles.text(relative).orElseThrow().split("\n", -1));
    }

    /**
     * The comments that hold a {@code TODO(number)}: its line and the comment lines right after it, up to the code or
     * the next TODO.
     */
    static List<TodoBlock> todoBlocks(List<String> lines, String number) {
        String marker = "TODO(" + number + ")";
        List<TodoBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).contains(marker)) continue;
            int last = i;
            while (last + 1 < lines.size() && isComment(lines.get(last + 1))
                    && !lines.get(last + 1).contains("TODO(")) {
                last++;
            }
            blocks.add(new TodoBlock(i, last));
        }
        return blocks;
    }

    static boolean isComment(String line) {
        return COMMENT.matcher(line).find();
    }
}
