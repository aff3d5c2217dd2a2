package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.exercises.Exercise;
import dev.ambassadorlab.labtests.exercises.ExerciseMode;
import dev.ambassadorlab.labtests.exercises.Overlays;
import dev.ambassadorlab.labtests.pod.LabPod;
import dev.ambassadorlab.labtests.pod.PodVariant;
import dev.ambassadorlab.labtests.warm.WarmCheck;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.TagFilter.includeTags;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Keeps the kata honest, and the warm lab with it. The rest of the suite runs every exercise's scenarios against the
 * finished services, built from solutions/: every solution passes its check cold. Here, for each exercise:
 * <ol>
 *   <li>cold: in a pod started afresh, the scenarios run with the untouched starter in place, and must fail, naming
 *   the behaviour that is missing;</li>
 *   <li>warm ({@code ./lab watch}): in that same pod, left dirty on purpose (a fault, an open breaker, a spent retry
 *   budget, a saved image, a mock scenario half-way), the starter's warm check gives the unit-test failure that the
 *   exercise's README shows (which {@code ./lab starter-output --verify} proves is what a cold {@code ./lab check}
 *   prints) and fails the very same scenarios;</li>
 *   <li>the pod left dirty again, the solution's warm check passes: no try leaks into the next.</li>
 * </ol>
 * Its name keeps it out of {@code ./mvnw verify} (a learner's own work in exercises/ would rightly make it fail); CI
 * runs it: ./mvnw -pl console,lab-tests verify -Dit.test=KataProof
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KataProof {
    private static final String STARTER_SECTION = "## What the untouched starter shows";
    private final WarmCheck warm = new WarmCheck();

    @TestFactory
    Stream<DynamicTest> every_starter_fails_and_every_solution_passes_warm_and_cold_alike() {
        return Arrays.stream(Exercise.values()).map(exercise -> DynamicTest.dynamicTest(
                "exercise " + exercise.number() + ": the starter fails cold and warm alike, the solution passes warm",
                () -> proveOne(exercise)));
    }

    private void proveOne(Exercise exercise) throws IOException {
        warm.settle(); // an abandoned warm run of the exercise before must not share the fresh pod
        LabPod pod = LabPod.startAfresh();
        Map<String, String> cold = runStarterCold(exercise);
        assertThat(cold).as("failed scenarios of the untouched starter %s, cold", exercise.number()).isNotEmpty();
        assertThat(cold.values()).as("a failure that names the missing behaviour (\"%s\")", exercise.behaviourWord())
                .anyMatch(message -> message.toLowerCase().contains(exercise.behaviourWord().toLowerCase()));

        leaveStateBehind(pod);
        WarmCheck.Verdict starter = warm.check(exercise, exercise.exerciseDir(), step -> { }, true);
        assertThat(starter.passed()).as("the starter's warm check of %s", exercise.number()).isFalse();
        assertThat(starter.failedScenarios()).as("the scenarios the starter fails warm, as it fails them cold")
                .containsExactlyInAnyOrderElementsOf(cold.keySet());
        readmeBlock(exercise).ifPresent(block -> assertThat(firstUnitFailure(starter.unitReport()))
                .as("the warm check's first unit-test failure, as exercises/%s's README shows it", exercise.number())
                .isEqualTo(block));

        if (exercise.service() == Exercise.Service.NONE) return; // its files are read in place: nothing runs warm
        leaveStateBehind(pod);
        WarmCheck.Verdict solution = warm.check(exercise, exercise.solutionDir(), step -> { }, false);
        assertThat(solution.passed()).as("the solution's warm check of %s, after a try that left faults behind:%n%s",
                exercise.number(), solution.report()).isTrue();
    }

    /** The starter's scenarios as ./lab check runs them: each failed one by name, with its message. */
    private static Map<String, String> runStarterCold(Exercise exercise) {
        Overlays.forget(exercise);
        Map<String, String> failed = new LinkedHashMap<>();
        var scenarios = request().selectors(selectPackage(KataProof.class.getPackageName()))
                .filters(includeClassNamePatterns(".*IT"), includeTags(exercise.tag())).build();
        ExerciseMode.override(true);
        try {
            var launcher = LauncherFactory.create();
            TestPlan plan = launcher.discover(scenarios);
            launcher.execute(plan, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    // a skipped scenario is not a failed one, as in ./lab check
                    if (result.getStatus() != TestExecutionResult.Status.FAILED) return;
                    String scenarios = plan.getParent(test).map(TestIdentifier::getDisplayName).orElse("");
                    failed.put(scenarios.isEmpty() ? test.getDisplayName() : scenarios + ": " + test.getDisplayName(),
                            result.getThrowable().map(Throwable::getMessage).orElse(""));
                }
            });
        } finally {
            ExerciseMode.override(null);
        }
        return failed;
    }

    /** What a careless try leaves in the pod, each part checked to be there, so the proof can fail. */
    private static void leaveStateBehind(LabPod pod) throws IOException {
        pod.use(PodVariant.FINISHED);
        pod.reset(); // from a known state: the scenarios before left theirs
        assertThat(pod.ambassador("/images/latest").status()).as("a cat saved before the mess").isEqualTo(200);
        pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1).inScenario("left over")
                .whenScenarioStateIs(STARTED).willSetStateTo("half-way").willReturn(aResponse().withStatus(503)));
        pod.catApiProxy().disable();
        for (int i = 0; i < 4; i++) pod.ambassador("/images/latest", "Cache-Control", "no-cache");
        pod.catApiProxy().enable();
        pod.catApiProxy().toxics().latency("left-over-latency", ToxicDirection.DOWNSTREAM, 3000);
        var metrics = pod.metrics();
        assertThat(metrics.max("ambassador_circuit_breaker_state")).as("a breaker left open").isEqualTo(2);
        double floor = Double.parseDouble(LabPod.AMBASSADOR_SETTINGS.get("RETRY_BUDGET_MIN_PER_SECOND"))
                * Double.parseDouble(LabPod.AMBASSADOR_SETTINGS.get("RETRY_BUDGET_WINDOW_MS")) / 1000;
        assertThat(metrics.value("ambassador_retry_budget_remaining")).as("the retry budget left below its floor")
                .isLessThan(floor);
        assertThat(pod.savedFiles()).as("a saved image left behind").isNotEmpty();
    }

    /** The exercise README's starter output, or empty when it shows none (exercise 10 has no unit tests). */
    private static Optional<String> readmeBlock(Exercise exercise) throws IOException {
        List<String> lines = Files.readAllLines(exercise.exerciseDir().resolve("README.md"));
        int section = lines.indexOf(STARTER_SECTION);
        if (section < 0) return Optional.empty();
        List<String> block = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines.subList(section + 1, lines.size())) {
            if (line.startsWith("```")) {
                if (fenced) break;
                fenced = true;
            } else if (fenced) {
                block.add(line);
            }
        }
        return Optional.of(String.join("\n", block));
    }

    /**
     * The unit tests' report cut to its first failure, with what differs between runs replaced by placeholders, as
     * {@code ./lab starter-output} writes it into the README.
     */
    static String firstUnitFailure(String unitReport) {
        List<String> kept = new ArrayList<>();
        int names = 0;
        for (String line : unitReport.lines().toList()) {
            if (line.matches(" {8}[^ ].*") && ++names == 2) break;
            kept.add(line);
        }
        String text = String.join("\n", kept);
        String root = Pattern.quote(LabPod.ROOT + "/");
        return text
                .replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<id>")
                .replaceAll("(localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::1]):[0-9]+", "$1:<port>")
                .replaceAll("\\b[Pp]ort [0-9]+", "port <port>")
                .replaceAll("\\b[0-9]+(\\.[0-9]+)? ?ms\\b", "<n> ms")
                .replaceAll("\\b[0-9]+\\.[0-9]+ ?s\\b", "<n> s")
                .replaceAll("(/tmp|/var/folders)/[^ :,'\"]+", "<tmp>")
                .replaceAll(root, "");
    }
}
