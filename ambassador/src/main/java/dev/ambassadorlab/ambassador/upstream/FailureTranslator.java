package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.ErrorCode;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.resilience.RetryAfter;
import dev.ambassadorlab.ambassador.resilience.Timeouts;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.FailsafeException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Turns what went wrong in an upstream call into the answer the caller gets, in words: 502 when the upstream's answer
 * was unusable, 503 when it could not be reached or the breaker is shielding it, 504 when time ran out.
 */
public final class FailureTranslator {
    private final Timeouts timeouts;
    private final RetryAfter retryAfter;
    private final AmbassadorMetrics metrics;

    public FailureTranslator(Timeouts timeouts, RetryAfter retryAfter, AmbassadorMetrics metrics) {
        this.timeouts = timeouts;
        this.retryAfter = retryAfter;
        this.metrics = metrics;
    }

    public AmbassadorException translate(Throwable thrown, UpstreamRequest request, int attempts) {
        Throwable failure = thrown instanceof FailsafeException && thrown.getCause() != null ? thrown.getCause() : thrown;
        String upstream = request.upstream();
        String tries = tried(attempts);
        if (failure instanceof AmbassadorException known) return known;
        if (failure instanceof AttemptTimedOutException timedOut) {
            if (timedOut.byDeadline()) return deadlinePassed(upstream, attempts);
            return new AmbassadorException(ErrorCode.UPSTREAM_TIMEOUT, upstream + " did not answer within the "
                    + "attempt timeout of " + timedOut.limit().toMillis() + " ms (" + tries + ")");
        }
        if (failure instanceof CircuitBreakerOpenException open) {
            metrics.breakerRejected(upstream);
            Duration wait = open.getCircuitBreaker().getRemainingDelay();
            return new AmbassadorException(ErrorCode.CIRCUIT_OPEN, "the circuit breaker for " + upstream
                    + " is open after repeated failures; the upstream was not called", atLeastOneSecond(wait));
        }
        if (failure instanceof BodyTooLargeException tooLarge) {
            return new AmbassadorException(ErrorCode.ANSWER_TOO_LARGE, upstream + ": " + tooLarge.getMessage());
        }
        if (failure instanceof TruncatedBodyException truncated) {
            return new AmbassadorException(ErrorCode.TRUNCATED_ANSWER, upstream + " broke off its answer: "
                    + truncated.getMessage() + " (" + tries + ")");
        }
        if (failure instanceof UnknownHostException) {
            return new AmbassadorException(ErrorCode.UPSTREAM_UNAVAILABLE, "the host of " + upstream
                    + " cannot be resolved; check CAT_API_URL and the network (" + tries + ")");
        }
        if (failure instanceof ConnectException) {
            return new AmbassadorException(ErrorCode.UPSTREAM_UNAVAILABLE, "could not connect to " + upstream
                    + " (" + tries + "): " + failure.getMessage());
        }
        if (failure instanceof IOException) {
            return new AmbassadorException(ErrorCode.UPSTREAM_UNAVAILABLE, upstream + " failed ("
                    + tries + "): " + failure.getClass().getSimpleName() + ": " + failure.getMessage());
        }
        if (failure instanceof RuntimeException unexpected) throw unexpected;
        throw new IllegalStateException(failure);
    }

    /** The request deadline passed during the attempts on {@code upstream}. */
    public AmbassadorException deadlinePassed(String upstream, int attempts) {
        return new AmbassadorException(ErrorCode.DEADLINE_EXCEEDED, "the request deadline of "
                + timeouts.requestDeadline().toMillis() + " ms passed while calling " + upstream + " (" + tried(attempts) + ")");
    }

    /** The wait before the next retry would reach the request deadline: the request ends now rather than then. */
    public AmbassadorException deadlineWouldPass(String upstream, Duration wait, Duration remaining, int attempts) {
        return new AmbassadorException(ErrorCode.DEADLINE_EXCEEDED, "the request deadline of "
                + timeouts.requestDeadline().toMillis() + " ms would pass during the " + wait.toMillis()
                + " ms wait before retrying " + upstream + " (" + remaining.toMillis() + " ms were left; "
                + tried(attempts) + ")");
    }

    /**
     * The answer for an upstream response that is not a success, once retries are over. A 5xx or 429 means the
     * upstream is unavailable (503, passing on its Retry-After); a 4xx or a redirect means the request or the
     * upstream is wrong (502).
     */
    public AmbassadorException rejected(UpstreamResponse response, String what, int attempts) {
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
