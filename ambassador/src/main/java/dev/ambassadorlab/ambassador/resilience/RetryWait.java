package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;

import java.time.Duration;

/**
 * How long to wait before a retry. {@link Backoff} is one; for each call, {@code ResilientUpstream} holds Backoff's
 * answer against the caller's deadline.
 */
@FunctionalInterface
public interface RetryWait {
    /**
     * @param retryNumber 1 before the first retry, 2 before the second, and so on
     * @param lastAnswer  the failed attempt's answer, or null when it failed without one
     */
    Duration before(int retryNumber, UpstreamResponse lastAnswer);
}
