package dev.ambassadorlab.labtests.docs;

import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation's configuration and metrics tables say what the code does: each variable read with a default and a
 * range appears with that default and range in docs/configuration.md, and each metric the ambassador registers is
 * listed in the README's Watch it (and nothing else); the table of the checks' settings in docs/chaos-suite.md says
 * what the suite's pod sets.
 * Read from the sources, with no service started, so a change to one without the other fails at once.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadmeTablesTest {
    private static final Path AMBASSADOR_CONFIG = Path.of("ambassador/src/main/java/dev/ambassadorlab/ambassador/config/AmbassadorConfig.java");
    private static final Path APP_CONFIG = Path.of("app/src/main/java/dev/ambassadorlab/app/AppConfig.java");
    private static final Path README = Path.of("README.md");
    /** The settings tables of both services, and the request headers and endpoints. */
    private static final Path CONFIGURATION = Path.of("docs", "configuration.md");
    /** The chaos suite's scenarios and the settings of its pod. */
    private static final Path CHAOS_SUITE = Path.of("docs", "chaos-suite.md");
    private static final String CHECK_SETTINGS = "## The checks' settings";
    private static final Pattern QUOTED = Pattern.compile("`([^`]+)`");
    private static final Path METRICS = Path.of("solutions/05-metrics/src/dev/ambassadorlab/ambassador/metrics/AmbassadorMetrics.java");
    /** The rest of the ambassador, which registers the metrics of its own parts (hedges, endings, callers' retries). */
    private static final Path AMBASSADOR_MAIN = Path.of("ambassador", "src", "main", "java");
    /** A variable read with a literal default, and a range when it has one: env.millis("NAME", 1_000, 10, 60_000). */
    private static final Pattern READ = Pattern.compile(
            "\\(\\s*(?:env\\s*,\\s*)?\"([A-Z][A-Z0-9_]+)\"\\s*,\\s*([^,()]+?)\\s*(?:,\\s*([^,()]+?)\\s*,\\s*([^,()]+?)\\s*)?[,)]");
    private static final Pattern METRIC = Pattern.compile("(Counter|Histogram|GaugeWithCallback|Gauge)\\.builder\\(\\)\\s*\\.name\\(\"([a-z_]+)\"\\)");

    @Test
    void the_ambassadors_configuration_table_has_each_variables_default_and_range() {
        assertTableMatches(AMBASSADOR_CONFIG, "## The ambassador");
    }

    @Test
    void the_apps_configuration_table_has_each_variables_default_and_range() {
        assertTableMatches(APP_CONFIG, "## The app");
    }

    @Test
    void the_metrics_table_lists_every_metric_the_ambassador_registers() {
        TreeSet<String> registered = new TreeSet<>();
        List<Path> sources = new ArrayList<>(List.of(METRICS));
        RepositoryFiles.textFiles().stream().filter(file -> file.startsWith(AMBASSADOR_MAIN))
                .filter(file -> file.toString().endsWith(".java")).sorted().forEach(sources::add);
        for (Path source : sources) {
            Matcher metric = METRIC.matcher(RepositoryFiles.text(source).orElseThrow());
            while (metric.find()) registered.add(metric.group(2) + (metric.group(1).equals("Counter") ? "_total" : ""));
        }
        assertThat(registered).as("metrics found in %s and %s", METRICS, AMBASSADOR_MAIN).hasSizeGreaterThan(5);
        TreeSet<String> listed = new TreeSet<>();
        for (List<String> row : table(README, "## Watch it", "metric")) {
            Matcher name = Pattern.compile("`(ambassador_[a-z_]+)").matcher(row.get(0));
            while (name.find()) listed.add(name.group(1));
        }
        assertThat(listed).as("README, Watch it: the metrics table against what %s and %s register", METRICS,
                AMBASSADOR_MAIN).isEqualTo(registered);
    }

    @Test
    void the_checks_settings_table_says_what_the_suites_pod_sets() {
        Map<String, String> defaults = new HashMap<>();
        for (Path source : List.of(AMBASSADOR_CONFIG, APP_CONFIG)) {
            readDefaults(source).forEach((name, facts) -> defaults.put(name, facts.get(0)));
        }
        Map<String, String> suite = new HashMap<>(LabPod.AMBASSADOR_SETTINGS);
        suite.putAll(LabPod.APP_SETTINGS);
        List<String> wrong = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        for (List<String> row : table(CHAOS_SUITE, CHECK_SETTINGS, "setting")) {
            // The first `value` of each cell: the name, the pod's own value (an exercise's own may follow), the default
            List<String> values = row.stream().limit(3).map(cell -> QUOTED.matcher(cell).results().findFirst()
                    .map(found -> found.group(1)).orElse("")).toList();
            String name = values.get(0);
            listed.add(name);
            if (!values.get(1).equals(suite.get(name))) {
                wrong.add(name + ": the suite's pod sets " + suite.get(name) + ", " + CHAOS_SUITE + " " + values.get(1));
            }
            if (!values.get(2).equals(defaults.get(name))) {
                wrong.add(name + ": the default is " + defaults.get(name) + ", " + CHAOS_SUITE + " " + values.get(2));
            }
        }
        // Every number the pod sets otherwise than its default is listed (the upstream's address and key are not).
        suite.forEach((name, value) -> {
            boolean number = value.matches("[0-9]+(\\.[0-9]+)?") && defaults.containsKey(name);
            if (number && !value.equals(defaults.get(name)) && !listed.contains(name)) {
                wrong.add(name + " is " + value + " in the suite's pod, " + defaults.get(name) + " by default, and not "
                        + "in the table of " + CHAOS_SUITE);
            }
        });
        assertThat(wrong).as("%s, %s: against LabPod's settings and the defaults", CHAOS_SUITE, CHECK_SETTINGS).isEmpty();
    }

    /** Each variable the source reads with a literal default: the default, then the accepted range when it has one. */
    private static Map<String, List<String>> readDefaults(Path source) {
        Map<String, List<String>> read = new LinkedHashMap<>();
        Matcher call = READ.matcher(RepositoryFiles.text(source).orElseThrow());
        while (call.find()) {
            String fallback = literal(call.group(2));
            if (fallback == null) continue;
            List<String> facts = new ArrayList<>(List.of(fallback));
            if (call.group(3) != null && literal(call.group(3)) != null && literal(call.group(4)) != null) {
                facts.add(number(literal(call.group(3))) + "-" + number(literal(call.group(4))));
            }
            read.put(call.group(1), facts);
        }
        return read;
    }

    private static void assertTableMatches(Path source, String heading) {
        Map<String, List<String>> read = readDefaults(source);
        assertThat(read).as("variables with literal defaults found in %s", source).hasSizeGreaterThan(2);
        Map<String, List<String>> documented = new LinkedHashMap<>();
        for (List<String> row : table(CONFIGURATION, heading, "variable")) {
            String name = row.get(0).replace("`", "");
            String accepted = row.get(2).split("[ ,]")[0];
            documented.put(name, accepted.matches("[0-9.]+-[0-9.]+")
                    ? List.of(row.get(1).replace("`", ""), number(accepted.split("-")[0]) + "-" + number(accepted.split("-")[1]))
                    : List.of(row.get(1).replace("`", "")));
        }
        List<String> wrong = new ArrayList<>();
        read.forEach((name, facts) -> {
            List<String> readme = documented.get(name);
            if (readme == null) wrong.add(name + " is read by " + source.getFileName() + " but not in the table of "
                    + CONFIGURATION);
            else if (!readme.equals(facts.subList(0, Math.min(facts.size(), readme.size() == 1 ? 1 : 2))) || readme.size() != facts.size())
                wrong.add(name + ": the code says default " + facts + ", " + CONFIGURATION + " " + readme);
        });
        // Some variables are read next to what uses them (the API key by its own class): any main source file counts.
        Path module = source.subpath(0, 3);
        String code = RepositoryFiles.textFiles().stream().filter(file -> file.startsWith(module))
                .map(file -> RepositoryFiles.text(file).orElse("")).reduce("", String::concat);
        documented.keySet().stream().filter(name -> !code.contains("\"" + name + "\""))
                .forEach(name -> wrong.add(name + " is in the table of " + CONFIGURATION + " but nothing in " + module
                        + " reads it"));
        assertThat(wrong).as("%s, %s: default (and accepted range) against %s", CONFIGURATION, heading, source).isEmpty();
    }

    /** A Java literal as the documentation writes it: 5L * 1024 * 1024 is 5242880, 1_000 is 1000; null when not a literal. */
    private static String literal(String java) {
        String text = java.strip();
        if (text.startsWith("\"") && text.endsWith("\"")) return text.substring(1, text.length() - 1);
        if (text.equals("true") || text.equals("false")) return text;
        if (text.matches("[0-9_.L\\s*]+")) {
            if (text.contains(".")) return new java.math.BigDecimal(text.replace("_", "")).stripTrailingZeros().toPlainString();
            long product = 1;
            for (String factor : text.split("\\*")) product *= Long.parseLong(factor.strip().replace("_", "").replace("L", ""));
            return Long.toString(product);
        }
        return null;
    }

    private static String number(String text) {
        return new java.math.BigDecimal(text).stripTrailingZeros().toPlainString();
    }

    /** The rows of the first table after a heading of a document, whose first header cell is the given one. */
    private static List<List<String>> table(Path document, String heading, String firstHeader) {
        String text = RepositoryFiles.text(document).orElseThrow();
        int at = text.indexOf("\n" + heading + "\n");
        assertThat(at).as("%s has a heading %s", document, heading).isNotNegative();
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : text.substring(at + heading.length() + 2).split("\n")) {
            if (!line.startsWith("|")) {
                if (inTable) break;
                continue;
            }
            List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1)).stream().map(String::strip).toList();
            if (!inTable) {
                assertThat(cells.get(0)).as("the first table after %s in %s", heading, document).isEqualTo(firstHeader);
                inTable = true;
            } else if (!cells.get(0).startsWith("---")) {
                rows.add(cells);
            }
        }
        return rows;
    }
}
