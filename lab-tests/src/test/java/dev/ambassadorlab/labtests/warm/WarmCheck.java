package dev.ambassadorlab.labtests.warm;

import dev.ambassadorlab.labtests.ChaosTest;
import dev.ambassadorlab.labtests.ScenarioLog;
import dev.ambassadorlab.labtests.exercises.Exercise;
import dev.ambassadorlab.labtests.exercises.ExerciseMode;
import dev.ambassadorlab.labtests.exercises.OverlayCompiler;
import dev.ambassadorlab.labtests.exercises.Overlays;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.TagFilter.includeTags;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * One check of an exercise in the warm lab: the same unit tests and scenarios as {@code ./lab check NN}, with the
 * same words, against a pod that stays up between tries. Only what holds the learner's code restarts (the ambassador
 * or the app, from an overlay jar of its own per try, started while the unit tests run); every scenario begins by
 * putting the pod back to normal, as it does in a cold check.
 */
public final class WarmCheck {
    private static final Path WORK = LabPod.ROOT.resolve("lab-tests/target/warm");
    private final AtomicInteger tries = new AtomicInteger();
    private CompletableFuture<?> lastRun = CompletableFuture.completedFuture(null);
    private final Path runnerDir;

    /** What a check found: its verdict, its report as ./lab check prints it, and the scenarios that failed. */
    public record Verdict(boolean passed, String report, String unitReport, List<String> failedScenarios) {
    }

    public WarmCheck() {
        runnerDir = copyUnitTestRunner();
    }

    /**
     * Checks the exercise's code in SOURCE (its exercises/NN folder, or another copy of it).
     *
     * @param progress told what the check is doing, in a few words, as it goes
     * @param scenariosAfterUnitFailure run the scenarios even when a unit test fails (./lab check stops there), for
     *                                  the proof that warm and cold scenarios agree on a starter
     */
    public Verdict check(Exercise exercise, Path source, Consumer<String> progress, boolean scenariosAfterUnitFailure) {
        String number = exercise.number();
        int attempt = tries.incrementAndGet();
        Path overlay = null;
        if (exercise.service() != Exercise.Service.NONE) {
            progress.accept("compiling your code");
            try {
                overlay = OverlayCompiler.compile(source.resolve("src"), Overlays.serviceDir(exercise),
                        WORK.resolve(number + "-try-" + attempt + ".jar"));
            } catch (OverlayCompiler.DoesNotCompile failure) {
                StringBuilder report = new StringBuilder("  " + number + "  your code does not compile:\n");
                failure.errors().stream().limit(10)
                        .forEach(error -> report.append("        ").append(error).append('\n'));
                report.append('\n').append(notYetAbove(number));
                return new Verdict(false, report.toString(), report.toString(), List.of());
            }
        }
        // The unit tests in their JVM, and beside them the scenarios: the service with the learner's code restarts,
        // then they run. Their verdict counts only once the unit tests pass, as in ./lab check; when one fails, the
        // scenarios left are skipped and the verdict does not wait for them.
        Path jar = overlay;
        Optional<UnitTests> unitTests = UnitTests.of(exercise);
        Optional<Process> unitRun = unitTests.map(tests -> tests.start(jar, runnerDir, unitOutput(tests, attempt)));
        unitTests.ifPresent(tests -> progress.accept("unit tests " + tests.names()));
        ScenarioRun run = new ScenarioRun(exercise, overlay, progress);
        CompletableFuture<ScenarioRun.Outcome> scenarios;
        synchronized (this) {
            scenarios = lastRun.handle((done, failed) -> null).thenApplyAsync(ignored -> run.execute());
            lastRun = scenarios;
        }
        String unitReport = "";
        boolean unitPassed = true;
        if (unitTests.isPresent()) {
            UnitTests.Result unit = finishUnitTests(unitTests.get(), unitRun.orElseThrow(), attempt);
            unitPassed = unit.passed();
            unitReport = unit.passed()
                    ? "  " + number + "  unit tests pass (" + unitTests.get().names() + ")\n"
                    : "  " + number + "  unit tests fail (" + unitTests.get().names() + ", against your classes):\n"
                      + firstLines(unit.failures(), 30);
            if (!unit.passed() && !scenariosAfterUnitFailure) {
                run.abandon();
                return new Verdict(false, unitReport + "\n" + notYetAbove(number), unitReport, List.of());
            }
        }
        ScenarioRun.Outcome outcome = scenarios.join();
        StringBuilder report = new StringBuilder(unitReport).append(outcome.report());
        boolean passed = unitPassed && outcome.failed().isEmpty() && outcome.count() > 0;
        if (!outcome.podStarted()) return new Verdict(false, report.toString(), unitReport, outcome.failed());
        report.append('\n').append(summary(number, outcome.count(), outcome.failed().size(), unitPassed));
        return new Verdict(passed, report.toString(), unitReport, outcome.failed());
    }

    /** Waits until the last check's scenarios, abandoned ones included, have ended: the pod is free again. */
    public void settle() {
        CompletableFuture<?> last;
        synchronized (this) {
            last = lastRun;
        }
        last.handle((done, failed) -> null).join();
    }

    private static Path unitOutput(UnitTests tests, int attempt) {
        try {
            Files.createDirectories(WORK);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        return WORK.resolve(tests.names().replace(',', '-') + "-try-" + attempt + ".txt");
    }

    private static UnitTests.Result finishUnitTests(UnitTests tests, Process run, int attempt) {
        Path output = unitOutput(tests, attempt);
        try {
            UnitTests.Result result = tests.finish(run, output);
            Files.deleteIfExists(output);
            Files.deleteIfExists(output.resolveSibling(output.getFileName() + ".err"));
            return result;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /**
     * One run of the exercise's scenarios against a try's code. Runs follow each other (one pod), each in a thread
     * of its own; one abandoned (its unit tests failed) skips the scenarios it has not started and says no more.
     */
    private static final class ScenarioRun {
        record Outcome(String report, List<String> failed, long count, boolean podStarted) {
        }

        private final Exercise exercise;
        private final Path overlay;
        private final Consumer<String> progress;
        private volatile boolean abandoned;
        /** Whether {@link #execute} is under way: only then may an abandoned run skip scenarios. */
        private boolean running;

        ScenarioRun(Exercise exercise, Path overlay, Consumer<String> progress) {
            this.exercise = exercise;
            this.overlay = overlay;
            this.progress = step -> {
                if (!abandoned) progress.accept(step);
            };
        }

        /** Skips the scenarios not yet started; a run that has ended leaves the next one alone. */
        synchronized void abandon() {
            abandoned = true;
            if (running) ChaosTest.skipTheRest(true);
        }

        Outcome execute() {
            synchronized (this) {
                running = true;
                ChaosTest.skipTheRest(abandoned);
            }
            if (overlay != null) Overlays.use(exercise, overlay);
            ExerciseMode.override(true);
            StringBuilder report = new StringBuilder();
            try {
                LauncherDiscoveryRequest scenarios = request()
                        .selectors(selectPackage(ChaosTest.class.getPackageName()))
                        .filters(includeClassNamePatterns(".*IT"), includeTags(exercise.tag())).build();
                Launcher launcher = LauncherFactory.create();
                TestPlan plan = launcher.discover(scenarios);
                long count = plan.countTestIdentifiers(TestIdentifier::isTest);
                try {
                    if (!abandoned) firstScenarioClass(plan).ifPresent(first -> {
                        progress.accept(exercise.service() == Exercise.Service.APP ? "starting the app with your code"
                                : "starting the ambassador with your code");
                        LabPod pod = LabPod.get();
                        pod.use(ChaosTest.variantOf(first));
                        pod.reset(); // here, not in the first scenario: its first call warms the service up
                    });
                } catch (RuntimeException notStarted) {
                    Throwable cause = notStarted.getCause() == null ? notStarted : notStarted.getCause();
                    report.append("  ").append(exercise.number()).append("  the pod with your code did not start: ")
                            .append(cause.getMessage()).append('\n');
                    return new Outcome(report.toString(), List.of("(the pod did not start)"), count, false);
                }
                List<String> failed = runScenarios(launcher, plan, progress, report);
                return new Outcome(report.toString(), failed, count, true);
            } finally {
                ExerciseMode.override(null);
                synchronized (this) {
                    running = false;
                    ChaosTest.skipTheRest(false);
                }
            }
        }
    }

    private static List<String> runScenarios(Launcher launcher, TestPlan plan, Consumer<String> progress,
                                             StringBuilder report) {
        long count = plan.countTestIdentifiers(TestIdentifier::isTest);
        AtomicInteger started = new AtomicInteger();
        List<String> failed = new ArrayList<>();
        ScenarioLog.alsoTell(line -> {
            synchronized (report) {
                report.append(line).append('\n');
            }
        });
        try {
            launcher.execute(plan, new TestExecutionListener() {
                @Override
                public void executionStarted(TestIdentifier test) {
                    if (test.isTest()) {
                        progress.accept("scenario " + started.incrementAndGet() + " of " + count + ": "
                                + test.getDisplayName());
                    }
                }

                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    // a skipped scenario is not a failed one, as in ./lab check
                    if (result.getStatus() != TestExecutionResult.Status.FAILED) return;
                    String scenarios = plan.getParent(test).map(TestIdentifier::getDisplayName).orElse("");
                    failed.add(scenarios.isEmpty() ? test.getDisplayName() : scenarios + ": " + test.getDisplayName());
                    if (!test.isTest()) { // a class whose scenarios could not start: its reason, as the log shows
                        report.append("FAILED  ").append(test.getDisplayName()).append('\n').append("        ")
                                .append(result.getThrowable().map(Throwable::getMessage).orElse("")).append('\n');
                    }
                }
            });
        } finally {
            ScenarioLog.alsoTell(null);
        }
        return failed;
    }

    private static Optional<Class<?>> firstScenarioClass(TestPlan plan) {
        return plan.getRoots().stream().flatMap(root -> plan.getChildren(root).stream())
                .flatMap(test -> test.getSource().stream())
                .filter(ClassSource.class::isInstance).<Class<?>>map(source -> ((ClassSource) source).getJavaClass())
                .filter(ChaosTest.class::isAssignableFrom).findFirst();
    }

    /** The closing line of ./lab check for one exercise. */
    private static String summary(String number, long count, int failures, boolean unitPassed) {
        if (!unitPassed) {
            return "  " + number + "  not yet: its unit tests fail; a hint: ./lab hint " + number + "\n";
        }
        if (failures == 0 && count > 0) {
            return count == 1 ? "  " + number + "  done: its one scenario passes\n"
                    : "  " + number + "  done: all " + count + " scenarios pass\n";
        }
        String which = count == 0 ? "no scenario ran"
                : count == 1 ? "its one scenario fails"
                : failures == 1 ? "1 of " + count + " scenarios fails"
                : failures + " of " + count + " scenarios fail";
        return "  " + number + "  not yet: " + which + "; a hint: ./lab hint " + number + "\n";
    }

    private static String notYetAbove(String number) {
        return "  " + number + "  not yet (above); the chaos scenarios run once your code compiles and its unit tests "
                + "pass. A hint: ./lab hint " + number + "\n";
    }

    private static String firstLines(String text, int lines) {
        return text.lines().limit(lines).map(line -> line + "\n").reduce("", String::concat);
    }

    /**
     * {@link UnitTestRun}'s class files alone, in a folder of their own: the one part of lab-tests that joins the
     * service's class path in the unit tests' JVM.
     */
    private static Path copyUnitTestRunner() {
        try {
            Path classes = Path.of(UnitTestRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String packagePath = UnitTestRun.class.getPackageName().replace('.', '/');
            Path target = WORK.resolve("runner");
            Files.createDirectories(target.resolve(packagePath));
            try (Stream<Path> files = Files.list(classes.resolve(packagePath))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("UnitTestRun")).toList()) {
                    Files.copy(file, target.resolve(packagePath).resolve(file.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException | java.net.URISyntaxException unusable) {
            throw new IllegalStateException("cannot copy the unit test runner out of the class path", unusable);
        }
    }
}
