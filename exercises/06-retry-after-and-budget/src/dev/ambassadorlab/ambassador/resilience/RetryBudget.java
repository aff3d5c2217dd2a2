package dev.ambassadorlab.ambassador.resilience;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Caps retries to a share of recent traffic, as Linkerd and Envoy do (Failsafe has no such policy). Over a sliding
 * window, retries may add {@code ratio} × requests, plus a small floor of {@code minPerSecond} so a quiet service can
 * still retry. During an outage every call fails, and without this cap each would be sent 1 + maxRetries times.
 */
public final class RetryBudget {
    private final double ratio;
    private final int minPerSecond;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Deque<Long> requests = new ArrayDeque<>();
    private final Deque<Long> retries = new ArrayDeque<>();

    public RetryBudget(double ratio, int minPerSecond, Duration window, LongSupplier nanoClock) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Counts one original (non-retry) upstream call. */
    public synchronized void recordRequest() {
        long now = nanoClock.getAsLong();
        forgetOlderThan(now);
        requests.addLast(now);
    }

    /** Takes one retry from the budget; false when the budget is spent and the caller must not retry. */
    public synchronized boolean tryAcquireRetry() {
        long now = nanoClock.getAsLong();
        forgetOlderThan(now);
        // TODO(06): refuse the retry when the window already holds allowedRetries() retries; otherwise record it.
        return true;
    }

    /** Retries still allowed in the current window: a gauge for /metrics. */
    public synchronized double remaining() {
        forgetOlderThan(nanoClock.getAsLong());
        return Math.max(0, allowedRetries() - retries.size());
    }

    private double allowedRetries() {
        double floor = minPerSecond * (windowNanos / 1e9);
        return Math.floor(floor + ratio * requests.size());
    }

    private void forgetOlderThan(long now) {
        while (!requests.isEmpty() && now - requests.peekFirst() >= windowNanos) requests.removeFirst();
        while (!retries.isEmpty() && now - retries.peekFirst() >= windowNanos) retries.removeFirst();
    }
}
