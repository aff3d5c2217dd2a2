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

/** Prints one line per scenario as it ends, so a CI log shows which scenarios ran, passed, failed or were skipped. */
public final class ScenarioLog implements BeforeTestExecutionCallback, TestWatcher {
    private static final Logger LOG = LoggerFactory.getLogger("scenario");
    private static final ExtensionContext.Namespace STARTS = ExtensionContext.Namespace.create(ScenarioLog.class);

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(STARTS).put(context.getUniqueId(), System.nanoTime());
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        LOG.info("PASSED  {} ({})", name(context), took(context));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        LOG.info("FAILED  {} ({})\n{}", name(context), took(context),
                worded(cause.getMessage(), LabPod.started().flatMap(LabPod::lastTraceText)));
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
        LOG.info("ABORTED {}", name(context));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        LOG.info("SKIPPED {}", name(context));
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
