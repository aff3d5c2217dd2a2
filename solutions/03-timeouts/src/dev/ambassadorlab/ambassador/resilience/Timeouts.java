package dev.ambassadorlab.ambassador.resilience;

import java.time.Duration;

/**
 * Two clocks. The attempt timeout sits inside the retries: a slow attempt is cancelled (its connection closed) and
 * retried. The deadline sits outside them: the whole call, waits included, ends by then, so the caller always has an
 * answer within a known budget. {@code ResilientUpstream} asks these two questions before each attempt and each wait,
 * and sets the answer on OkHttp's call timeout: one timer per attempt keeps both clocks.
 */
public final class Timeouts {
    private final Duration attemptTimeout;
    private final Duration requestDeadline;

    public Timeouts(Duration attemptTimeout, Duration requestDeadline) {
        this.attemptTimeout = attemptTimeout;
        this.requestDeadline = requestDeadline;
    }

    /** The budget for one caller's request, started when the request arrives. */
    public Duration requestDeadline() {
        return requestDeadline;
    }

    /**
     * How long the next attempt may take, given what is left of the caller's deadline ({@code remaining}). When it
     * runs out, the call is cancelled: a retryable failure if the attempt timeout ran out, the end of the request if
     * the deadline did.
     */
    public Duration forAttempt(Duration remaining) {
        // Each attempt gets the attempt timeout, and never more than the deadline leaves.
        return remaining.compareTo(attemptTimeout) < 0 ? remaining : attemptTimeout;
    }

    /**
     * Whether the caller's deadline leaves time for another attempt after a wait of this long. When it does not, the
     * request ends at once: sleeping until the deadline would only make the caller wait for the same 504.
     */
    public boolean leavesTimeAfter(Duration wait, Duration remaining) {
        return wait.compareTo(remaining) < 0;
    }
}
