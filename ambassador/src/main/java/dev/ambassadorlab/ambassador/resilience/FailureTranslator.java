package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.trace.Ending;
import dev.ambassadorlab.ambassador.upstream.AttemptTimedOutException;
import dev.ambassadorlab.ambassador.upstream.BadAnswerException;
import dev.ambassadorlab.ambassador.upstream.BodyTooLargeException;
import dev.ambassadorlab.ambassador.upstream.TruncatedBodyException;
import dev.ambassadorlab.ambassador.upstream.UpstreamCall;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.FailsafeException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong in an upstream call into the answer the caller gets, in words: 502 when the upstream's answer
 * was unusable, 503 when it could not be reached or the breaker is shielding it, 504 when time ran out.
 */
public final class FailureTranslator {
    private final RetryAfter retryAfter;
    private final AmbassadorMetrics metrics;

    public FailureTranslator(RetryAfter retryAfter, AmbassadorMetrics metrics) {
        this.retryAfter = retryAfter;
        this.metrics = metrics;
    }

    /** @param deadline the request's deadline, for the words of a 504 */
    public AmbassadorException translate(Throwable thrown, UpstreamRequest request, int attempts, Duration deadline) {
        Throwable failure = thrown instanceof FailsafeException && thrown.getCause() != null ? thrown.getCause() : thrown;
        String call = request.call().words();
        String tries = tried(attempts);
        String detail = failure.toString();
        if (failure instanceof AmbassadorException known) return known;
        if (failure instanceof AttemptTimedOutException timedOut) {
            if (timedOut.byDeadline()) return deadlinePassed(request.call(), attempts, deadline);
            return new AmbassadorException(ErrorCode.UPSTREAM_TIMEOUT, call + " did not answer within the attempt "
                    + "timeout of " + timedOut.limit().toMillis() + " ms (" + tries + ")");
        }
        if (failure instanceof CircuitBreakerOpenException open) {
            metrics.breakerRejected(request.upstream());
            Duration wait = open.getCircuitBreaker().getRemainingDelay();
            return new AmbassadorException(ErrorCode.CIRCUIT_OPEN, "the circuit breaker in front of " + call
                    + " is open after repeated failures; it was not called", atLeastOneSecond(wait));
        }
        // The messages of these two are the ambassador's own words and numbers.
        if (failure instanceof BodyTooLargeException tooLarge) {
            return new AmbassadorException(ErrorCode.ANSWER_TOO_LARGE, call + ": " + tooLarge.getMessage());
        }
        if (failure instanceof TruncatedBodyException truncated) {
            return new AmbassadorException(ErrorCode.TRUNCATED_ANSWER, call + " broke off its answer: "
                    + truncated.getMessage() + " (" + tries + ")", null, String.valueOf(truncated.getCause()));
        }
        if (failure instanceof BadAnswerException) {
            return new AmbassadorException(ErrorCode.BAD_UPSTREAM_ANSWER, call + " answered with something that is "
                    + "not HTTP the ambassador uses (" + tries + ")", null, detail);
        }
        if (failure instanceof UnknownHostException) {
            return new AmbassadorException(ErrorCode.UPSTREAM_UNAVAILABLE, "the host of " + call
                    + " cannot be resolved; check CAT_API_URL and the network (" + tries + ")", null, detail);
        }
        if (failure instanceof ConnectException) {
            return new AmbassadorException(ErrorCode.UPSTREAM_UNAVAILABLE, "could not connect to " + call + " ("
                    + tries + ")", null, detail);
        }
        if (failure instanceof IOException) {
            return new AmbassadorException(ErrorCode.UPSTREAM_UNAVAILABLE, call + " failed: " + howItBroke(failure)
                    + " (" + tries + ")", null, detail);
        }
        if (failure instanceof RuntimeException unexpected) throw unexpected;
        throw new IllegalStateException(failure);
    }

    /**
     * Why the attempts of a call stopped when the last one failed in a way worth retrying (a 5xx or 429, or an I/O
     * failure): the request was not safe to repeat, every retry allowed was made, or the retry policy stopped early,
     * because the upstream asked for a wait beyond the cap or the retry budget was spent. A policy that stops early for
     * no reason the ambassador can see (a learner's, retrying less than it was told) ran out of retries all the same.
     * Noted on the request's trace; whatever else ended it (a deadline, an open breaker) has an error code of its own.
     *
     * @param lastAnswer  the last attempt's answer, or null when it failed without one
     * @param budgetSpent whether the retry budget has no retry left now
     */
    public Ending whyRetriesStopped(UpstreamRequest request, int retriesAllowed, int attempts,
                                    UpstreamResponse lastAnswer, boolean budgetSpent) {
        if (retriesAllowed == 0 && !request.isSafeToRepeat()) return Ending.NOT_RETRYABLE;
        if (attempts > retriesAllowed) return Ending.RETRIES_EXHAUSTED;
        if (retryAfter.exceedsCap(lastAnswer)) return Ending.RETRY_AFTER_TOO_LONG;
        return budgetSpent ? Ending.RETRY_BUDGET_SPENT : Ending.RETRIES_EXHAUSTED;
    }

    /** The request deadline passed during the attempts of {@code call}. */
    public AmbassadorException deadlinePassed(UpstreamCall call, int attempts, Duration deadline) {
        return new AmbassadorException(ErrorCode.DEADLINE_EXCEEDED, "the request deadline of "
                + deadline.toMillis() + " ms passed during " + call.words() + " (" + tried(attempts)
                + ")");
    }

    /** The wait before the next retry would reach the request deadline: the request ends now rather than then. */
    public AmbassadorException deadlineWouldPass(UpstreamCall call, Duration wait, Duration remaining, int attempts,
                                                 Duration deadline) {
        return new AmbassadorException(ErrorCode.DEADLINE_EXCEEDED, "the request deadline of "
                + deadline.toMillis() + " ms would pass during the " + wait.toMillis()
                + " ms wait before retrying " + call.words() + " (" + remaining.toMillis() + " ms were left; "
                + tried(attempts) + ")");
    }

    /** The kind of I/O failure, in words of the ambassador's: the exception's own message may quote the upstream. */
    private static String howItBroke(Throwable failure) {
        if (failure instanceof SocketTimeoutException) return "the connection timed out";
        if (failure instanceof SSLException) return "TLS failed";
        return "the connection broke";
    }

    /**
     * The answer for an upstream response that is not a success, once retries are over. A 5xx or 429 means the
     * upstream is unavailable (503, passing on its Retry-After); a 4xx or a redirect means the request or the
     * upstream is wrong (502).
     */
    public AmbassadorException rejected(UpstreamResponse response, UpstreamCall call, int attempts) {
        String what = call.words();
        int status = response.status();
        String tries = tried(attempts);
        if (status == 429 || status >= 500) {
            return new AmbassadorException(ErrorCode.UPSTREAM_UNAVAILABLE, what + " answered " + status
                    + " (" + tries + ")", retryAfter.requested(response).orElse(null));
        }
        if (status >= 300 && status < 400) {
            return new AmbassadorException(ErrorCode.UPSTREAM_REDIRECT, what + " answered with a " + status
                    + " redirect; the ambassador does not follow redirects");
        }
        String hint = status == 401 || status == 403 ? "; check CAT_API_KEY" : "";
        return new AmbassadorException(ErrorCode.UPSTREAM_REJECTED, what + " answered " + status + hint);
    }

    private static String tried(int attempts) {
        return attempts == 1 ? "1 attempt" : attempts + " attempts";
    }

    private static Duration atLeastOneSecond(Duration wait) {
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }
}
