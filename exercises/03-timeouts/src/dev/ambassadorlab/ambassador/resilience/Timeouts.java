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
        // TODO(03): each attempt gets attemptTimeout; then it is cancelled and counts as a failed, retryable attempt.
        // TODO(03): ...and never more than `remaining`: the deadline cuts an attempt short too.
        return Duration.ofDays(1);
    }

    /**
     * Whether the caller's deadline leaves time for another attempt after a wait of this long. When it does not, the
     * request ends at once: sleeping until the deadline would only make the caller wait for the same 504.
     */
    public boolean leavesTimeAfter(Duration wait, Duration remaining) {
        // TODO(03): a wait between two attempts that would reach the deadline leaves no time for the next attempt.
        return true;
    }
}
