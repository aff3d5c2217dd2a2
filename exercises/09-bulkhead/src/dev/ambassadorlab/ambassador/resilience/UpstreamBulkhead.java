package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.failsafe.Bulkhead;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps how many requests may work against the upstream at once, with a short wait for a permit. While the upstream
 * is healthy, permits come back within milliseconds and no caller is turned away, however many arrive; when it is slow
 * or failing, permits stay taken, the wait runs out, and the excess hears "503, try again in a second" instead of
 * piling up threads while its own deadline runs out.
 */
public final class UpstreamBulkhead {
    private final Bulkhead<Object> bulkhead;
    private final int limit;
    private final Duration maxWait;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AmbassadorMetrics metrics;

    public UpstreamBulkhead(int limit, Duration maxWait, AmbassadorMetrics metrics) {
        // At most `limit` requests at work upstream; others may wait up to `maxWait` for one of them to finish.
        this.bulkhead = Bulkhead.builder(limit).withMaxWaitTime(maxWait).build();
        this.limit = limit;
        this.maxWait = maxWait;
        this.metrics = metrics;
        metrics.watchBulkhead(inFlight::get, limit);
    }

    public <T> T run(Supplier<T> work) {
        // TODO(09): at most `limit` callers work upstream at once; one over the cap may wait up to maxWait for a
        //  place. When none frees up, count the rejection and refuse: a 503 "overloaded" that asks to come back in
        //  a second.
        inFlight.incrementAndGet();
        try {
            return work.get();
        } finally {
            // TODO(09): the place is given back whatever the work did, so that the next caller can have it.
            inFlight.decrementAndGet();
        }
    }
}
