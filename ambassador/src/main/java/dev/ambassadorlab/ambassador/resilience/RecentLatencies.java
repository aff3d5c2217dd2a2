package dev.ambassadorlab.ambassador.resilience;

import java.time.Duration;
import java.util.Arrays;

/**
 * How long the latest {@value #KEPT} answered attempts of one call took, for the hedge delay's default: their 95th
 * percentile. Too few to tell ({@value #FEWEST}) gives none, so that a fresh ambassador does not hedge on a guess.
 */
public final class RecentLatencies {
    static final int KEPT = 100;
    static final int FEWEST = 20;
    private final long[] nanos = new long[KEPT];
    private int next;
    private int count;

    public synchronized void record(Duration took) {
        nanos[next] = took.toNanos();
        next = (next + 1) % KEPT;
        count = Math.min(KEPT, count + 1);
    }

    /** The 95th percentile of the attempts kept (nearest rank), or null while there are fewer than {@value #FEWEST}. */
    public Duration p95() {
        long[] sorted;
        synchronized (this) {
            if (count < FEWEST) return null;
            sorted = Arrays.copyOf(nanos, count);
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.95 * sorted.length);
        return Duration.ofNanos(sorted[rank - 1]);
    }
}
