package dev.ambassadorlab.labtests.grade;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the graded scenarios' JUnit results into a scorecard: PASS (with what was seen), FAIL (the worded assertion
 * message is what was seen) or N/A (an optional part the ambassador does not have). Printed at the end and written to
 * target/grade/scorecard.md and scorecard.tsv, which `./lab grade` shows, compares and checks.
 */
final class Scorecard implements TestWatcher, AfterAllCallback {
    /** One row: a scenario and how it went. */
    record Row(String scenario, boolean required, String result, String expected, String seen) {
    }

    private static final ThreadLocal<String> SEEN = new ThreadLocal<>();
    private final List<Row> rows = new ArrayList<>();

    /** What a passing scenario saw, in words, for its row. */
    static void saw(String seen) {
        SEEN.set(seen);
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "PASS", Optional.ofNullable(SEEN.get()).orElse("as expected"));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "FAIL", firstLine(cause.getMessage()));
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        // JUnit and AssertJ wrap the assumption's own words ("Assumption failed: ...", "... due to: [...]"): keep the words.
        record(context, "N/A", firstLine(cause.getMessage()).replaceFirst("^Assumption failed: ", "")
                .replaceFirst("^assumption was not met due to: \\[(.*)]\\s*$", "$1"));
    }

    private void record(ExtensionContext context, String result, String seen) {
        SEEN.remove();
        Method method = context.getRequiredTestMethod();
        Grade grade = method.getAnnotation(Grade.class);
        rows.add(new Row(method.getName().replace('_', ' '), grade == null || grade.required(), result,
                grade == null ? "" : grade.expected(), seen));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String image = System.getProperty(Candidate.IMAGE, "?");
        long required = rows.stream().filter(Row::required).count();
        long passed = rows.stream().filter(row -> row.required() && row.result().equals("PASS")).count();
        var markdown = new StringBuilder()
                .append("Scorecard for ").append(image).append(": ").append(passed).append(" of ").append(required)
                .append(" required scenarios pass\n\n")
                .append("| scenario | result | expected | seen |\n|---|---|---|---|\n");
        var tsv = new StringBuilder();
        for (Row row : rows) {
            String name = row.scenario() + (row.required() ? "" : " (optional)");
            markdown.append("| ").append(name).append(" | ").append(row.result()).append(" | ")
                    .append(cell(row.expected())).append(" | ").append(cell(row.seen())).append(" |\n");
            tsv.append(row.scenario()).append('\t').append(row.required() ? "required" : "optional").append('\t')
                    .append(row.result()).append('\t').append(row.expected()).append('\t').append(row.seen()).append('\n');
        }
        Path dir = Path.of(System.getProperty("lab.grade.report-dir", "target/grade"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("scorecard.md"), markdown);
            Files.writeString(dir.resolve("scorecard.tsv"), tsv);
        } catch (IOException unwritable) {
            throw new UncheckedIOException(unwritable);
        }
        System.out.println("\n" + markdown);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) return "(no message)";
        return message.strip().lines().findFirst().orElse(message).replace('\t', ' ');
    }
}
