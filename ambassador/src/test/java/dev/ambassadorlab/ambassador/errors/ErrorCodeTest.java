package dev.ambassadorlab.ambassador.errors;

import dev.ambassadorlab.ambassador.support.ReadmeTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One vocabulary of errors: every code comes from {@link ErrorCode}, and the error table in docs/request-lifecycle.md
 * (linked from the README) says the same.
 */
class ErrorCodeTest {
    /** Where the ambassador's code lives: its module, and the solutions it is built from. */
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("../solutions"));

    @Test
    void everyCodeIsLowerSnakeCaseWithAnErrorStatusAndAMeaning() {
        assertThat(ErrorCode.values()).allSatisfy(code -> {
            assertThat(code.code()).matches("[a-z]+(_[a-z]+)*");
            assertThat(code.status()).as(code.code()).isBetween(400, 599);
            assertThat(code.meaning()).as(code.code()).isNotBlank().doesNotContain("|", "\n");
        });
    }

    @Test
    void noCodeIsSpelledAsAStringOutsideTheEnum() throws IOException {
        List<String> spelled = new ArrayList<>();
        for (Path file : javaFiles()) {
            if (file.getFileName().toString().equals("ErrorCode.java")) continue;
            String text = Files.readString(file);
            for (ErrorCode code : ErrorCode.values()) {
                if (text.contains("\"" + code.code() + "\"")) spelled.add(file + ": \"" + code.code() + "\"");
            }
        }
        assertThat(spelled).as("error codes written as strings; use ErrorCode.X instead, so the codes stay one list")
                .isEmpty();
    }

    @Test
    void theReadmeErrorTableListsEveryCodeWithItsStatusAndMeaning() {
        List<String> readme = ReadmeTable.rows(ReadmeTable.REQUEST_LIFECYCLE, "code", "status", "meaning").stream()
                .map(row -> String.join(" | ", row)).toList();
        List<String> code = Arrays.stream(ErrorCode.values())
                .map(error -> "`" + error.code() + "` | " + error.status() + " | " + error.meaning()).toList();

        assertThat(readme).withFailMessage("docs/request-lifecycle.md's error table differs from ErrorCode; its rows "
                + "should be:%n%s",
                code.stream().map(row -> "| " + row + " |").collect(Collectors.joining("\n"))).isEqualTo(code);
    }

    private static List<Path> javaFiles() {
        List<Path> files = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(file -> file.toString().endsWith(".java")).forEach(files::add);
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        }
        return files;
    }
}
