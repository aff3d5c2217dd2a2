package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.images.ImageResult;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.failsafe.Fallback;
import dev.failsafe.event.ExecutionAttemptedEvent;
import dev.failsafe.function.CheckedFunction;

import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Stale-if-error: remembers the last image fetched fresh, and when the upstream is down or too slow (503/504) serves
 * that one again, marked stale, instead of an error. A bad answer (502) is not covered: it is a bug to see, not an
 * outage to ride out. A caller that sends "Cache-Control: no-cache" always gets the fresh result or the error.
 */
public final class StaleImageFallback {
    private final boolean enabled;
    private final AmbassadorMetrics metrics;
    private final AtomicReference<ImageResult> lastGood = new AtomicReference<>();
    private final Fallback<ImageResult> fallback;

    public StaleImageFallback(boolean enabled, AmbassadorMetrics metrics) {
        this.enabled = enabled;
        this.metrics = metrics;
        // On an upstream outage, answer with the last good image; otherwise let the failure through.
        CheckedFunction<ExecutionAttemptedEvent<? extends ImageResult>, ImageResult> lastGoodImage =
                event -> serveStale(event.getLastException());
        this.fallback = Fallback.builder(lastGoodImage)
                .handleIf((result, failure) -> failure instanceof AmbassadorException e && e.isUpstreamDown())
                .build();
    }

    public ImageResult fetch(Supplier<ImageResult> fresh, boolean callerAcceptsStale) {
        Supplier<ImageResult> remembering = () -> remember(fresh.get());
        // TODO(08): when the fallback is enabled and the caller accepts a stale answer, run the fresh fetch under
        //  the `fallback` policy, so that an outage serves the last good image instead of an error.
        return remembering.get();
    }

    private ImageResult remember(ImageResult result) {
        lastGood.set(result);
        return result;
    }

    private ImageResult serveStale(Throwable failure) throws Throwable {
        ImageResult last = lastGood.get();
        if (last == null || !Files.isRegularFile(last.path())) throw failure;
        metrics.fallbackServed();
        return last.asStale(failure.getMessage());
    }
}
