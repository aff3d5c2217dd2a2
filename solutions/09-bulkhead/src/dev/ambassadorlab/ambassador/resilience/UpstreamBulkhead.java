package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
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
        boolean permitted;
        try {
            permitted = bulkhead.tryAcquirePermit(maxWait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            permitted = false;
        }
        if (!permitted) {
            metrics.bulkheadRejected();
            throw new AmbassadorException(ErrorCode.OVERLOADED, "the ambassador already runs " + limit
                    + " upstream requests (BULKHEAD_MAX_CONCURRENT) and none finished within " + maxWait.toMillis()
                    + " ms (BULKHEAD_MAX_WAIT_MS): the upstream is slow; try again shortly", Duration.ofSeconds(1));
        }
        inFlight.incrementAndGet();
        try {
            return work.get();
        } finally {
            inFlight.decrementAndGet();
            bulkhead.releasePermit();
        }
    }
}
