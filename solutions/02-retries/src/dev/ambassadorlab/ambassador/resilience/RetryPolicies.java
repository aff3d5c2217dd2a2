package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import dev.failsafe.RetryPolicy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the retry policy for one upstream call. It is built per call because two things differ per call: how many
 * retries the request may have (none when it is unsafe to repeat), and the running count that tells whether a failure
 * would really be retried (only then is the retry budget charged).
 */
public final class RetryPolicies {
    private final RetryAfter retryAfter;
    private final RetryBudget budget;
    private final AmbassadorMetrics metrics;

    public RetryPolicies(RetryAfter retryAfter, RetryBudget budget, AmbassadorMetrics metrics) {
        this.retryAfter = retryAfter;
        this.budget = budget;
        this.metrics = metrics;
    }

    /** A status that means "try again later": too many requests, or a failure on the upstream's side. */
    public static boolean isRetryableStatus(UpstreamResponse response) {
        return response.status() == 429 || response.status() >= 500;
    }

    /**
     * The retries this upstream call may have.
     *
     * @param retriesAllowed the request's: RETRY_MAX_RETRIES, or fewer when its caller asked (X-Ambassador-Max-Retries)
     */
    public int retriesFor(UpstreamRequest request, int retriesAllowed) {
        return request.isSafeToRepeat() ? retriesAllowed : 0;
    }

    /**
     * @param retries what {@link #retriesFor} allows this call
     * @param backoff how long to wait before each retry: {@link Backoff}, held against the caller's deadline
     */
    public RetryPolicy<UpstreamResponse> forCall(int retries, RetryWait backoff) {
        AtomicInteger failedAttempts = new AtomicInteger();
        return RetryPolicy.<UpstreamResponse>builder()
                // Retry when the upstream could not be reached, broke off, or missed the attempt timeout (all IOExceptions)...
                .handle(IOException.class)
                // ...or answered that it is overloaded or failing (429, 5xx). A 4xx would only fail again.
                .handleResultIf(RetryPolicies::isRetryableStatus)
                // A bounded number of retries, and none at all for a request that is not safe to repeat.
                .withMaxRetries(retries)
                // Wait as the upstream's Retry-After says, else exponential backoff with jitter.
                .withDelayFn(context -> backoff.before(context.getAttemptCount(), context.getLastResult()))
                // Give up early when the upstream wants a longer wait than the cap, or the retry budget is spent.
                .abortIf((response, failure) -> failedAttempts.incrementAndGet() <= retries && shouldGiveUp(response))
                .onRetry(event -> metrics.retried())
                .build();
    }

    private boolean shouldGiveUp(UpstreamResponse response) {
        if (retryAfter.exceedsCap(response)) return true;
        if (budget.tryAcquireRetry()) return false;
        metrics.retryBudgetRejected();
        return true;
    }
}
