package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.failsafe.Bulkhead;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps how many requests may work against the upstream at once. There is no queue: a caller beyond the cap hears
 * "503, try again in a second" at once, instead of waiting in line while its own deadline runs out and threads pile up.
 */
public final class UpstreamBulkhead {
    private final Bulkhead<Object> bulkhead;
    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AmbassadorMetrics metrics;

    public UpstreamBulkhead(int limit, AmbassadorMetrics metrics) {
        this.bulkhead = Bulkhead.of(limit);
        this.limit = limit;
        this.metrics = metrics;
        metrics.watchBulkhead(inFlight::get, limit);
    }

    public <T> T run(Supplier<T> work) {
        // TODO(09): take a permit without waiting (bulkhead.tryAcquirePermit()). When there is none, count the
        //  rejection and refuse at once: a 503 "overloaded" (AmbassadorException.unavailable) with a Retry-After
        //  of one second. Give the permit back when the work is done, whatever happens.
        inFlight.incrementAndGet();
        try {
            return work.get();
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
