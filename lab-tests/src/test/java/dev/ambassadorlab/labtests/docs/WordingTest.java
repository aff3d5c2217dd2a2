package dev.ambassadorlab.labtests.docs;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a learner reads describes the lab as it is: no words about the project's past, and no script named that does
 * not exist.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WordingTest {
    /** Words that describe where the lab came from rather than what it is. */
    private static final Pattern HISTORY = Pattern.compile(
            "\\b(the seed|seed's|seed lab|original lab|original demo)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SCRIPT = Pattern.compile("[A-Za-z0-9_-]+\\.sh\\b");
    /** Maven's wrapper names its own helper scripts, which live in Maven's distribution, not here. */
    private static final Set<String> WRAPPER = Set.of("mvnw", "mvnw.cmd");

    @Test
    void no_text_speaks_of_the_labs_history() {
        List<String> found = new ArrayList<>();
        for (Path file : RepositoryFiles.textFiles()) {
            if (file.getFileName().toString().equals("WordingTest.java")) continue;
            String[] lines = RepositoryFiles.text(file).orElseThrow().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher history = HISTORY.matcher(lines[i]);
                if (history.find()) found.add(file + ":" + (i + 1) + ": \"" + history.group() + "\"");
            }
        }
        assertThat(found).as("history wording; say what the lab is and does now").isEmpty();
    }

    @Test
    void every_script_a_file_names_exists() {
        List<Path> files = RepositoryFiles.textFiles();
        Set<String> scripts = files.stream().map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (Path file : files) {
            if (WRAPPER.contains(file.getFileName().toString())) continue;
            Matcher named = SCRIPT.matcher(RepositoryFiles.text(file).orElseThrow());
            while (named.find()) {
                if (!scripts.contains(named.group())) missing.add(file + " names " + named.group());
            }
        }
        assertThat(missing).as("scripts named but not in the repository").isEmpty();
    }
}
