package dev.ambassadorlab.labtests.warm;

import dev.ambassadorlab.labtests.exercises.Exercise;
import dev.ambassadorlab.labtests.exercises.Overlays;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An exercise's unit tests (lab-tests/exercise-unit-tests.tsv, the table ./lab check reads too), run by
 * {@link UnitTestRun} in a JVM of its own against the learner's overlay jar, with the service's compiled tests and
 * its test class path as Maven resolved it (module/target/test-classpath.txt, written by every build).
 */
final class UnitTests {
    private static final Path TABLE = LabPod.ROOT.resolve("lab-tests/exercise-unit-tests.tsv");
    /** Far beyond any exercise's tests (seconds); a learner's endless loop ends here, not in a stuck watch. */
    private static final long PATIENCE_SECONDS = 120;

    /** What the exercise's unit tests said: passed, and the failures as ./lab check prints them. */
    record Result(boolean passed, String failures) {
    }

    private final Exercise exercise;
    private final List<String> classes;

    private UnitTests(Exercise exercise, List<String> classes) {
        this.exercise = exercise;
        this.classes = classes;
    }

    /** The exercise's unit tests; empty when it has none (exercise 10's files are checked by scenarios only). */
    static Optional<UnitTests> of(Exercise exercise) {
        try {
            return Files.readAllLines(TABLE).stream()
                    .filter(line -> line.startsWith(exercise.number() + "\t"))
                    .map(line -> new UnitTests(exercise, List.of(line.split("\t")[2].split(","))))
                    .findFirst();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** "RetriesTest,BackoffTest", as the check's lines name them. */
    String names() {
        return String.join(",", classes);
    }

    /** Starts the tests against the overlay, their report going to OUTPUT; {@link #finish} waits for it. */
    Process start(Path overlay, Path runnerDir, Path output) {
        Path module = Overlays.serviceDir(exercise);
        Path classpathFile = module.resolve("target/test-classpath.txt");
        try {
            if (!Files.isRegularFile(classpathFile)) {
                throw new IllegalStateException(classpathFile + " is missing: every build writes it (./mvnw -DskipTests package)");
            }
            String classpath = String.join(File.pathSeparator, overlay.toString(),
                    module.resolve("target/test-classes").toString(), module.resolve("target/classes").toString(),
                    Files.readString(classpathFile).strip(), runnerDir.toString(), launcherJar());
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", classpath, UnitTestRun.class.getName(), module.resolve("src/test/java").toString(), names());
            return new ProcessBuilder(command).directory(module.toFile())
                    .redirectOutput(output.toFile()).redirectError(errors(output).toFile()).start();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    Result finish(Process run, Path output) {
        try {
            if (!run.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                run.destroyForcibly();
                return new Result(false, "        (the unit tests did not finish within " + PATIENCE_SECONDS
                        + " s: is there an endless loop in your code?)\n");
            }
            String failures = Files.readString(output);
            return switch (run.exitValue()) {
                case 0 -> new Result(true, failures);
                case UnitTestRun.FAILED -> new Result(false, failures);
                default -> new Result(false, "        (the unit tests could not run; what their JVM said:)\n"
                        + Files.readAllLines(errors(output)).stream().limit(20)
                        .map(line -> "            " + line + "\n")
                        .reduce("", String::concat));
            };
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            run.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the check was stopped", interrupted);
        }
    }

    /** JUnit's launcher, which the app's tests do not bring (Surefire brings its own): the one this JVM runs. */
    private static String launcherJar() {
        try {
            var jar = LauncherFactory.class.getProtectionDomain().getCodeSource().getLocation();
            return Path.of(jar.toURI()).toString();
        } catch (java.net.URISyntaxException unusable) {
            throw new IllegalStateException(unusable);
        }
    }

    private static Path errors(Path output) {
        return output.resolveSibling(output.getFileName() + ".err");
    }
}
