package dev.ambassadorlab.labtests.warm;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * An exercise's unit tests against the learner's classes, in a JVM of its own whose class path puts the overlay first
 * (so a learner's endless loop or static state never reaches the warm lab). Prints each failure as {@code ./lab check}
 * does from Surefire's reports: the classes in the order given, each class's tests in the order its file declares
 * them, the message up to the stack trace without the exception's class name. Exit status 0 when all pass,
 * {@value #FAILED} when one fails (any other: the tests could not run). Only the JDK and the JUnit launcher are
 * used here: this class alone joins the service's class path.
 * <p>
 * Arguments: the module's test sources (src/test/java), then the test classes' simple names, comma-separated.
 */
public final class UnitTestRun {
    private static final Pattern EXCEPTION_NAME = Pattern.compile("^[a-zA-Z0-9_.$]*(Error|Exception): ?");
    private static final Pattern INVOCATION = Pattern.compile("#(\\d+)\\]$");
    private static final int MESSAGE_LINES = 6;
    static final int FAILED = 3;

    private UnitTestRun() {
    }

    /** One failed test, where its file declares it, and what it said. */
    record Failure(int classOrder, int line, int invocation, String name, String message) {
    }

    public static void main(String[] args) {
        Path sources = Path.of(args[0]);
        List<String> classes = Arrays.asList(args[1].split(","));
        List<Failure> failures = new CopyOnWriteArrayList<>();
        Map<String, Integer> order = new HashMap<>();
        var run = request();
        for (String simpleName : classes) {
            Path file = find(sources, simpleName);
            String className = sources.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
            order.put(className, order.size());
            run.selectors(selectClass(className));
        }
        LauncherFactory.create().execute(run.build(), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (result.getStatus() != TestExecutionResult.Status.FAILED) return;
                String message = result.getThrowable().map(Throwable::toString).orElse("");
                failures.add(failure(test, message, order, sources));
            }
        });
        failures.stream()
                .sorted(Comparator.comparingInt(Failure::classOrder).thenComparingInt(Failure::line)
                        .thenComparingInt(Failure::invocation).thenComparing(Failure::name))
                .forEach(failure -> System.out.print(format(failure)));
        System.out.flush();
        System.exit(failures.isEmpty() ? 0 : FAILED);
    }

    static Failure failure(TestIdentifier test, String message, Map<String, Integer> order, Path sources) {
        Optional<MethodSource> method = test.getSource().filter(MethodSource.class::isInstance)
                .map(MethodSource.class::cast);
        if (method.isEmpty()) { // a class that could not run at all (its set-up failed)
            String name = test.getLegacyReportingName();
            return new Failure(order.getOrDefault(name, order.size()), Integer.MAX_VALUE, 0,
                    name.replaceAll(".*\\.", ""), message);
        }
        MethodSource source = method.get();
        String name = source.getMethodName();
        String parameters = source.getMethodParameterTypes();
        if (!parameters.isEmpty()) {
            name += "(" + Arrays.stream(parameters.split(",")).map(type -> type.trim().replaceAll(".*\\.", ""))
                    .reduce((a, b) -> a + ", " + b).orElse("") + ")";
        }
        int invocation = 0;
        Matcher index = INVOCATION.matcher(test.getUniqueId());
        if (index.find()) {
            invocation = Integer.parseInt(index.group(1));
            name += "[" + invocation + "]";
        }
        int line = declaredAt(find(sources, source.getClassName().replaceAll(".*\\.", "")), source.getMethodName());
        return new Failure(order.getOrDefault(source.getClassName(), order.size()), line, invocation, name, message);
    }

    /** The failure's name, then up to six lines of its message, indented as {@code ./lab check} shows them. */
    static String format(Failure failure) {
        StringBuilder text = new StringBuilder("        ").append(failure.name()).append(":\n");
        int lines = 0;
        for (String line : failure.message().split("\n")) {
            if (lines == MESSAGE_LINES) break;
            String shown = EXCEPTION_NAME.matcher(line.strip().isEmpty() ? "" : line).replaceFirst("").stripTrailing();
            if (shown.isBlank()) continue;
            text.append("            ").append(shown.replace("\t", "    ")).append('\n');
            lines++;
        }
        return text.toString();
    }

    /** The line of the file where the method is first declared; a test found nowhere goes last. */
    static int declaredAt(Path file, String method) {
        try {
            List<String> lines = Files.readAllLines(file);
            Pattern declaration = Pattern.compile("void " + Pattern.quote(method) + "\\(");
            for (int i = 0; i < lines.size(); i++) {
                if (declaration.matcher(lines.get(i)).find()) return i + 1;
            }
            return Integer.MAX_VALUE;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private static Path find(Path sources, String simpleName) {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(file -> file.getFileName().toString().equals(simpleName + ".java")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no " + simpleName + ".java under " + sources));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
