package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.exercises.Exercise;
import dev.ambassadorlab.labtests.exercises.ExerciseMode;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Consumer;

/** Prints one line per scenario as it ends, so a CI log shows which scenarios ran, passed, failed or were skipped. */
public final class ScenarioLog implements BeforeTestExecutionCallback, TestWatcher {
    private static final Logger LOG = LoggerFactory.getLogger("scenario");
    private static final ExtensionContext.Namespace STARTS = ExtensionContext.Namespace.create(ScenarioLog.class);
    private static volatile Consumer<String> reader;

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(STARTS).put(context.getUniqueId(), System.nanoTime());
    }

    /**
     * Also hands each scenario's line to this reader (the warm check, which shows them as ./lab check does), until
     * {@code null} is set.
     */
    public static void alsoTell(Consumer<String> reader) {
        ScenarioLog.reader = reader;
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        tell(String.format("PASSED  %s (%s)", name(context), took(context)));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        tell(String.format("FAILED  %s (%s)\n%s", name(context), took(context),
                worded(cause.getMessage(), LabPod.started().flatMap(LabPod::lastTraceText))));
    }

    /** Prints what a scenario measured, under its name, so that the log shows the numbers behind a verdict. */
    public static void measured(String numbers) {
        tell("        measured: " + numbers);
    }

    private static void tell(String line) {
        LOG.info(line);
        Consumer<String> also = reader;
        if (also != null) also.accept(line);
    }

    /**
     * A failure as the log shows it: its message, then what the ambassador decided for the last request the scenario
     * sent (its trace), each line indented under the scenario's name.
     */
    static String worded(String message, Optional<String> trace) {
        String text = String.valueOf(message).strip()
                + trace.map(lines -> "\nWhat the ambassador decided for the last request:\n" + lines.strip()).orElse("");
        return "        " + text.replace("\n", "\n        ");
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        tell("ABORTED " + name(context));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        tell("SKIPPED " + name(context));
    }

    /** "RetriesIT [exercise 02]: two 503s then...", marked "your code" when the exercise's files are in place. */
    private static String name(ExtensionContext context) {
        String exercise = Exercise.fromTags(context.getTags()).map(e -> "exercise " + e.number()).orElse("");
        String against = ExerciseMode.exercises() ? ", your code" : "";
        String label = exercise.isEmpty() && against.isEmpty() ? "" : " [" + exercise + against + "]";
        return context.getParent().map(ExtensionContext::getDisplayName).orElse("") + label + ": "
                + context.getDisplayName();
    }

    private static String took(ExtensionContext context) {
        Long start = context.getStore(STARTS).get(context.getUniqueId(), Long.class);
        return start == null ? "?" : String.format("%.1f s", (System.nanoTime() - start) / 1e9);
    }
}
