package dev.ambassadorlab.labtests.docs;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's side-by-side scorecard says what CI proves: the naive column is the naive ambassador's expected scorecard
 * (which CI checks with ./lab grade --naive --expect), and the finished column passes everything it can.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScorecardTableTest {
    private static final Path EXPECTED = Path.of("naive-ambassador", "expected-scorecard.tsv");

    @Test
    void the_readme_table_shows_the_naive_ambassadors_expected_scorecard_and_a_finished_one_that_passes() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : RepositoryFiles.text(EXPECTED).orElseThrow().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] cells = line.split("\t");
            expected.put(cells[0], cells[1]);
        }
        Map<String, String> naive = new LinkedHashMap<>();
        Map<String, String> finished = new LinkedHashMap<>();
        String readme = RepositoryFiles.text(Path.of("README.md")).orElseThrow();
        String section = readme.substring(readme.indexOf("## Bring your own ambassador"));
        section = section.substring(0, section.indexOf("\n## ") < 0 ? section.length() : section.indexOf("\n## "));
        for (String line : section.split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| scenario")) continue;
            String[] cells = line.substring(2, line.length() - 2).split(" \\| ");
            assertThat(cells).as("README scorecard row: scenario | naive | finished: %s", line).hasSize(3);
            String scenario = cells[0].replace(" (optional)", "");
            naive.put(scenario, cells[1]);
            finished.put(scenario, cells[2]);
        }
        assertThat(naive).as("README, Bring your own ambassador: the naive column is %s (regenerate the table with "
                + "./lab grade --compare when the grader changes)", EXPECTED).containsExactlyEntriesOf(expected);
        assertThat(finished.values()).as("README: the finished ambassador's column, every scenario").isNotEmpty()
                .containsOnly("PASS");
    }
}
