package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before each retry. When the upstream said how long to wait (Retry-After, within its cap) that is the wait,
 * exactly. Otherwise the wait doubles from a base up to a cap, and "equal jitter" picks a point in its upper half, so
 * callers that failed together do not all come back together, yet no retry comes back at once.
 */
public final class Backoff implements RetryWait {
    private final Duration base;
    private final Duration max;
    private final RetryAfter retryAfter;
    private final DoubleSupplier random;

    public Backoff(Duration base, Duration max, RetryAfter retryAfter, DoubleSupplier random) {
        this.base = base;
        this.max = max;
        this.retryAfter = retryAfter;
        this.random = random;
    }

    @Override
    public Duration before(int retryNumber, UpstreamResponse lastAnswer) {
        return retryAfter.delayWithinCap(lastAnswer).orElseGet(() -> jittered(ceiling(retryNumber)));
    }

    /** Why {@link #before} waits as long as it does: "retry_after" when the upstream set the wait, else "backoff". */
    public String reason(UpstreamResponse lastAnswer) {
        return retryAfter.delayWithinCap(lastAnswer).isPresent() ? "retry_after" : "backoff";
    }

    /** base × 2^(n-1), never more than the cap. */
    Duration ceiling(int retryNumber) {
        int doublings = Math.min(Math.max(retryNumber - 1, 0), 30);
        long nanos = base.toNanos() << doublings;
        return nanos <= 0 || nanos > max.toNanos() ? max : Duration.ofNanos(nanos);
    }

    private Duration jittered(Duration ceiling) {
        long half = ceiling.toNanos() / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * half));
    }
}
