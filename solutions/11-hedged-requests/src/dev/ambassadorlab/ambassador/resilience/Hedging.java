package dev.ambassadorlab.ambassador.resilience;

import java.time.Duration;
import java.util.Set;

/**
 * Hedged requests. When an attempt has not answered after the hedge delay, a second copy of it goes out, and the
 * first good answer wins (the other copy is cancelled). A slow answer is often bad luck (a pause, a busy replica), not
 * the upstream's state, and a fresh copy goes round it: the tail latency the caller sees drops to about the delay plus
 * a normal answer. Only a request that may be sent twice is hedged, at most {@value #MAX_PER_REQUEST} copy per
 * request, and each copy is paid for from the retry budget, so that hedging cannot double the load of an upstream that
 * is slow for everyone.
 */
public final class Hedging {
    /** Methods that change nothing upstream: sending one twice does no harm (RFC 9110, 9.2.1). */
    public static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    public static final int MAX_PER_REQUEST = 1;
    private final boolean enabled;
    private final Duration configuredDelay;
    private final RetryBudget budget;

    /** @param configuredDelay HEDGE_DELAY_MS, or null for the p95 of recent attempts of the same call */
    public Hedging(boolean enabled, Duration configuredDelay, RetryBudget budget) {
        this.enabled = enabled;
        this.configuredDelay = configuredDelay;
        this.budget = budget;
    }

    /**
     * How long an attempt may go unanswered before a copy of it is sent, or null when this one must not be hedged.
     *
     * @param method     the request's HTTP method
     * @param hedgesSent copies already sent for this request
     * @param recentP95  the p95 of recent attempts of the same call, or null while there are too few to tell
     */
    public Duration hedgeAfter(String method, int hedgesSent, Duration recentP95) {
        if (!enabled || !SAFE_METHODS.contains(method) || hedgesSent >= MAX_PER_REQUEST) return null;
        return configuredDelay != null ? configuredDelay : recentP95;
    }

    /** Whether the copy may go now: it takes one retry from the budget, and none is sent when the budget is spent. */
    public boolean mayHedgeNow() {
        return budget.tryAcquireRetry();
    }
}
