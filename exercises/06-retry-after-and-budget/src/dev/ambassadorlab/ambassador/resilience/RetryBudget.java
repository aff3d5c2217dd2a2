package dev.ambassadorlab.ambassador.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Caps retries to a share of recent traffic, as Linkerd and Envoy do (Failsafe has no such policy). Over a sliding
 * window, retries may add {@code ratio} × requests, plus a small floor of {@code minPerSecond} so a quiet service can
 * still retry. During an outage every call fails, and without this cap each would be sent 1 + maxRetries times.
 *
 * <p>The window is kept as counts in {@value #SLOTS} slots, each a tenth of it, rather than a time per request: its
 * memory stays the same however busy the ambassador is (a time per request held 100,000 objects at 10,000 requests a
 * second). A request counts for the whole window, give or take one slot.
 */
public final class RetryBudget {
    private static final int SLOTS = 10;
    private final double ratio;
    private final int minPerSecond;
    private final long windowNanos;
    private final long slotNanos;
    private final LongSupplier nanoClock;
    private final long[] requests = new long[SLOTS];
    private final long[] retries = new long[SLOTS];
    /** The slot now being counted into: the clock's time divided by the slot length. */
    private long currentSlot;

    public RetryBudget(double ratio, int minPerSecond, Duration window, LongSupplier nanoClock) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.windowNanos = window.toNanos();
        this.slotNanos = Math.max(1, windowNanos / SLOTS);
        this.nanoClock = nanoClock;
        this.currentSlot = Math.floorDiv(nanoClock.getAsLong(), slotNanos);
    }

    /** Counts one original (non-retry) upstream call. */
    public synchronized void recordRequest() {
        moveToNow();
        requests[slot()]++;
    }

    /** Takes one retry from the budget; false when the budget is spent and the caller must not retry. */
    public synchronized boolean tryAcquireRetry() {
        moveToNow();
        // TODO(06): refuse the retry when the window already holds allowedRetries() retries; otherwise count it.
        return true;
    }

    /** Retries still allowed in the current window: a gauge for /metrics. */
    public synchronized double remaining() {
        moveToNow();
        return Math.max(0, allowedRetries() - retriesInWindow());
    }

    private double allowedRetries() {
        double floor = minPerSecond * (windowNanos / 1e9);
        return Math.floor(floor + ratio * sum(requests));
    }

    private long retriesInWindow() {
        return sum(retries);
    }

    private void countRetry() {
        retries[slot()]++;
    }

    /** Empties the slots that have left the window since the last call: they count again from zero as new slots. */
    private void moveToNow() {
        long now = Math.floorDiv(nanoClock.getAsLong(), slotNanos);
        for (long next = currentSlot + 1; next <= now && next <= currentSlot + SLOTS; next++) {
            requests[index(next)] = 0;
            retries[index(next)] = 0;
        }
        if (now > currentSlot) currentSlot = now;
    }

    private int slot() {
        return index(currentSlot);
    }

    private static int index(long slot) {
        return (int) Math.floorMod(slot, (long) SLOTS);
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) total += count;
        return total;
    }
}
