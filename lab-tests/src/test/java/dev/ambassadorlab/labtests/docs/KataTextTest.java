package dev.ambassadorlab.labtests.docs;

import dev.ambassadorlab.labtests.docs.KataFiles.TodoBlock;
import dev.ambassadorlab.labtests.docs.LineDiff.Change;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ambassadorlab.labtests.docs.KataFiles.EXERCISES;
import static dev.ambassadorlab.labtests.docs.KataFiles.SOLUTIONS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kata keeps its promises to a learner: hints come one at a time, gentlest first, and the README gives none of
 * the later ones away; a TODO says what the code must do, not which library call does it; and every line the
 * solution changes sits at a TODO, so the starter and the solution cannot drift apart unnoticed. No Docker needed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KataTextTest {
    private static final int MIN_HINTS = 3;
    /** How many of the first, gentlest hints the README may show. */
    private static final int HINTS_IN_README = 2;
    /** How far below its TODO comment a changed line may sit: the TODO must be in sight from the change. */
    private static final int LINES_AFTER_TODO = 3;
    /**
     * Library calls that a TODO or the Steps must leave to the hints: Failsafe's policies, OkHttp's client,
     * Prometheus' and Micrometer's metrics. Plain words ("handle", "observe") count only as calls or members.
     */
    private static final List<String> API = List.of(
            "withMaxRetries", "withMaxAttempts", "withMaxDuration", "withDelay", "withDelayFn", "withBackoff",
            "withJitter", "handle", "handleIf", "handleResult", "handleResultIf", "abortIf", "abortOn",
            "withMaxWaitTime", "withMaxConcurrency", "withFailureThreshold", "withSuccessThreshold", "withInterrupt",
            "tryAcquirePermit", "releasePermit", "Failsafe.with", "RetryPolicy.builder", "CircuitBreaker.builder",
            "Timeout.of", "Timeout.builder", "Bulkhead.builder", "Bulkhead.of", "Fallback.of", "Fallback.builder",
            "Counter.builder", "Timer.builder", "Gauge.builder", "GaugeWithCallback.builder", "Histogram.builder",
            "DistributionSummary.builder", "classicOnly", "classicUpperBounds", "labelNames", "labelValues",
            "observe", "register", "newBuilder", "removeHeader", "addInterceptor", "callTimeout", "connectTimeout",
            "readTimeout", "writeTimeout");
    private static final List<Pattern> API_CALLS = API.stream().map(KataTextTest::callPattern).toList();
    /** What a learner's IDE writes, or what changes nothing: never a line a TODO must point at. */
    private static final Pattern NOT_WORTH_A_TODO = Pattern.compile("^\\s*(import\\s.*;)?\\s*$");

    @Test
    void every_exercise_has_its_hints_in_HINTS_md() {
        List<String> problems = new ArrayList<>();
        for (String exercise : KataFiles.exercises()) {
            Path file = EXERCISES.resolve(exercise).resolve("HINTS.md");
            List<String> hints = KataFiles.hints(exercise);
            if (!Files.isRegularFile(LabPod.ROOT.resolve(file))) {
                problems.add(file + " is missing: write the exercise's hints there, one numbered list, gentlest first");
            } else if (hints.size() < MIN_HINTS) {
                problems.add(file + " has " + hints.size() + " hints; write at least " + MIN_HINTS
                        + ", from a question that points the way to the nearly complete answer");
            }
        }
        assertThat(problems).as("hints").isEmpty();
    }

    @Test
    void a_README_shows_only_the_first_gentle_hints() {
        List<String> problems = new ArrayList<>();
        for (String exercise : KataFiles.exercises()) {
            Path readme = EXERCISES.resolve(exercise).resolve("README.md");
            Path hintsFile = EXERCISES.resolve(exercise).resolve("HINTS.md");
            String text = RepositoryFiles.text(readme).orElseThrow();
            List<String> hints = KataFiles.hints(exercise);
            String flat = flat(text);
            for (int i = HINTS_IN_README; i < hints.size(); i++) {
                if (flat.contains(flat(hints.get(i)))) {
                    problems.add(readme + " gives away hint " + (i + 1) + " of " + hintsFile
                            + "; keep only the first " + HINTS_IN_README + " in the README");
                }
            }
            List<String> shown = KataFiles.numberedItems(KataFiles.section(text, "Hints"));
            List<String> first = hints.subList(0, Math.min(shown.size(), hints.size()));
            if (shown.size() > HINTS_IN_README || !first.equals(shown)) {
                problems.add(readme + "'s Hints must be the first " + HINTS_IN_README + " (at most) of " + hintsFile
                        + ", word for word");
            }
            if (!text.contains("./lab hint " + KataFiles.number(exercise))) {
                problems.add(readme + "'s Hints must say that ./lab hint " + KataFiles.number(exercise)
                        + " shows the others");
            }
        }
        assertThat(problems).as("READMEs").isEmpty();
    }

    @Test
    void TODOs_and_steps_say_what_to_do_not_which_library_call_does_it() {
        List<String> problems = new ArrayList<>();
        for (String exercise : KataFiles.exercises()) {
            String number = KataFiles.number(exercise);
            for (Path file : KataFiles.codeFiles(EXERCISES, exercise)) {
                Path path = EXERCISES.resolve(exercise).resolve(file);
                List<String> lines = KataFiles.lines(path);
                for (TodoBlock block : KataFiles.todoBlocks(lines, number)) {
                    for (int i = block.first(); i <= block.last(); i++) {
                        for (String call : apiCallsIn(lines.get(i))) {
                            problems.add(path + ":" + (i + 1) + " names " + call + "; say what the code must do,"
                                    + " and move the call to a later hint in HINTS.md");
                        }
                    }
                }
            }
            Path readme = EXERCISES.resolve(exercise).resolve("README.md");
            for (String call : apiCallsIn(KataFiles.section(RepositoryFiles.text(readme).orElseThrow(), "Steps"))) {
                problems.add(readme + "'s Steps name " + call + "; move it to a later hint in HINTS.md");
            }
        }
        assertThat(problems).as("library calls given away").isEmpty();
    }

    @Test
    void every_line_the_solution_changes_sits_at_a_TODO() {
        List<String> problems = new ArrayList<>();
        Set<String> exercises = new TreeSet<>(KataFiles.exercises());
        for (String solution : KataFiles.directories(SOLUTIONS)) {
            if (!exercises.contains(solution)) {
                problems.add(SOLUTIONS.resolve(solution) + " has no exercise: add " + EXERCISES.resolve(solution)
                        + " with its starter, or remove the solution");
            }
        }
        for (String exercise : exercises) {
            TreeSet<Path> starters = KataFiles.codeFiles(EXERCISES, exercise);
            TreeSet<Path> solved = KataFiles.codeFiles(SOLUTIONS, exercise);
            for (Path file : union(starters, solved)) {
                Path starter = EXERCISES.resolve(exercise).resolve(file);
                Path solution = SOLUTIONS.resolve(exercise).resolve(file);
                if (!solved.contains(file)) {
                    problems.add(starter + " has no solution at " + solution
                            + ": add it, solved, or remove the starter");
                } else if (!starters.contains(file)) {
                    problems.add(solution + " has no starter at " + starter + ": add the same file with TODO("
                            + KataFiles.number(exercise) + ") comments where the solution's lines go");
                } else {
                    problems.addAll(driftIn(starter, solution, KataFiles.number(exercise)));
                }
            }
        }
        assertThat(problems).as("starters and solutions out of step").isEmpty();
    }

    private static List<String> driftIn(Path starter, Path solution, String number) {
        List<String> starterLines = KataFiles.lines(starter);
        List<TodoBlock> blocks = KataFiles.todoBlocks(starterLines, number);
        List<String> problems = new ArrayList<>();
        for (Change change : LineDiff.between(starterLines, KataFiles.lines(solution))) {
            if (NOT_WORTH_A_TODO.matcher(change.text()).matches()) continue;
            boolean atTodo = change.added()
                    ? covered(change.position() - 1, blocks, starterLines)
                            || blocks.stream().anyMatch(block -> block.contains(change.position()))
                    : covered(change.position(), blocks, starterLines);
            if (atTodo) continue;
            String line = "\"" + change.text().strip() + "\"";
            problems.add(change.added()
                    ? solution + ":" + (change.solutionLine() + 1) + " adds " + line + " before " + starter + ":"
                            + (change.position() + 1) + ", with no TODO(" + number + ") comment just above; put one"
                            + " there that says what the code must do, or move the change next to an existing one"
                    : starter + ":" + (change.position() + 1) + " " + line + " is changed by the solution"
                            + " far from any TODO(" + number + ") comment; put one just above it that says what the"
                            + " code must do, or make the starter's line the same as the solution's");
        }
        return problems;
    }

    /**
     * True when a starter line is part of a TODO comment, in the few lines after it, or the line that opens the
     * block the TODO sits at the top of (the {@code catch} it speaks about).
     */
    private static boolean covered(int line, List<TodoBlock> blocks, List<String> lines) {
        if (line < 0) return false;
        for (TodoBlock block : blocks) {
            if (line >= block.first() && line <= block.last() + LINES_AFTER_TODO) return true;
            if (line == block.first() - 1 && lines.get(line).stripTrailing().endsWith("{")) return true;
        }
        return false;
    }

    private static List<String> apiCallsIn(String text) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < API.size(); i++) {
            if (API_CALLS.get(i).matcher(text).find()) found.add(API.get(i));
        }
        return found;
    }

    /** "Failsafe.with" also as "Failsafe.<T>with"; "withMaxRetries" as a word; "handle" as ".handle" or "handle(". */
    private static Pattern callPattern(String name) {
        int dot = name.indexOf('.');
        if (dot > 0) {
            return Pattern.compile("\\b" + Pattern.quote(name.substring(0, dot)) + "\\.(<[^>]*>)?"
                    + Pattern.quote(name.substring(dot + 1)) + "\\b");
        }
        if (!name.equals(name.toLowerCase())) return Pattern.compile("\\b" + Pattern.quote(name) + "\\b");
        return Pattern.compile("(\\." + Pattern.quote(name) + "\\b|\\b" + Pattern.quote(name) + "\\s*\\()");
    }

    private static String flat(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static TreeSet<Path> union(Set<Path> a, Set<Path> b) {
        TreeSet<Path> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
