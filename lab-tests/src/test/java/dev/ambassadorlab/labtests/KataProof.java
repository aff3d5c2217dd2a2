package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.exercises.Exercise;
import dev.ambassadorlab.labtests.exercises.ExerciseMode;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.TagFilter.includeTags;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Keeps the kata honest. The rest of the suite runs every exercise's scenarios against the finished services, which
 * are built from solutions/: every solution passes its check. Here each exercise's scenarios run again with its
 * untouched starter from exercises/ in place, and must fail, naming the behaviour that is missing.
 * Its name keeps it out of `./mvnw verify` (a learner's own work in exercises/ would rightly make it fail); CI runs it:
 * ./mvnw -pl console,lab-tests verify -Dit.test=KataProof
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KataProof {

    @TestFactory
    Stream<DynamicTest> every_untouched_starter_fails_its_check() {
        return Arrays.stream(Exercise.values()).map(exercise -> DynamicTest.dynamicTest(
                "the starter of exercise " + exercise.number() + " fails its check", () -> {
                    TestExecutionSummary summary = runCheckAgainstStarter(exercise);
                    List<String> messages = summary.getFailures().stream()
                            .map(failure -> String.valueOf(failure.getException().getMessage())).toList();
                    assertThat(summary.getTestsFoundCount()).as("scenarios tagged %s", exercise.tag()).isPositive();
                    assertThat(summary.getTotalFailureCount()).as("failed scenarios of the untouched starter %s",
                            exercise.number()).isPositive();
                    assertThat(messages).as("a failure that names the missing behaviour (\"%s\")", exercise.behaviourWord())
                            .anyMatch(message -> message.toLowerCase().contains(exercise.behaviourWord().toLowerCase()));
                }));
    }

    private static TestExecutionSummary runCheckAgainstStarter(Exercise exercise) {
        LauncherDiscoveryRequest check = request()
                .selectors(selectPackage(KataProof.class.getPackageName()))
                .filters(includeClassNamePatterns(".*IT"), includeTags(exercise.tag()))
                .build();
        var listener = new SummaryGeneratingListener();
        ExerciseMode.override(true);
        try {
            LauncherFactory.create().execute(check, listener);
        } finally {
            ExerciseMode.override(null);
        }
        return listener.getSummary();
    }
}
