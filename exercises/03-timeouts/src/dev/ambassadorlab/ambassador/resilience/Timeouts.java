package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;

import java.time.Duration;

/**
 * Two clocks. The attempt timeout sits inside the retries: a slow attempt is cancelled (its connection closed) and
 * retried. The deadline sits outside them: the whole call, waits included, ends by then, so the caller always has an
 * answer within a known budget.
 */
public final class Timeouts {
    private final Timeout<UpstreamResponse> perAttempt;
    private final Duration requestDeadline;

    public Timeouts(Duration attemptTimeout, Duration requestDeadline) {
        // TODO(03): each attempt gets attemptTimeout; then it is cancelled and counts as a failed, retryable attempt.
        this.perAttempt = Timeout.<UpstreamResponse>builder(Duration.ofDays(1)).build();
        this.requestDeadline = requestDeadline;
    }

    public Timeout<UpstreamResponse> perAttempt() {
        return perAttempt;
    }

    /** The budget for one caller's request, started when the request arrives. */
    public Duration requestDeadline() {
        return requestDeadline;
    }

    /**
     * What is left of the caller's deadline, as a policy around one upstream call. It interrupts a backoff wait too,
     * so no retry starts after the deadline.
     */
    public Timeout<UpstreamResponse> deadline(Duration remaining) {
        // TODO(03): the call must end when the caller's remaining time is up, even while it sleeps in a backoff
        //  wait between two attempts.
        return Timeout.<UpstreamResponse>builder(Duration.ofDays(1)).build();
    }

    public boolean isAttemptTimeout(TimeoutExceededException exceeded) {
        return exceeded.getTimeout() == perAttempt;
    }
}
