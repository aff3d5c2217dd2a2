package dev.ambassadorlab.labtests;

import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Prints one line per scenario as it ends, so a CI log shows which scenarios ran, passed, failed or were skipped. */
final class ScenarioLog implements BeforeTestExecutionCallback, TestWatcher {
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
        LOG.info("FAILED  {} ({})", name(context), took(context));
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        LOG.info("ABORTED {}", name(context));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        LOG.info("SKIPPED {}", name(context));
    }

    private static String name(ExtensionContext context) {
        return context.getParent().map(ExtensionContext::getDisplayName).orElse("") + ": " + context.getDisplayName();
    }

    private static String took(ExtensionContext context) {
        Long start = context.getStore(STARTS).get(context.getUniqueId(), Long.class);
        return start == null ? "?" : String.format("%.1f s", (System.nanoTime() - start) / 1e9);
    }
}
