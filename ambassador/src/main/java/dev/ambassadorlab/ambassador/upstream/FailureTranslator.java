package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.resilience.RetryAfter;
import dev.ambassadorlab.ambassador.resilience.Timeouts;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.FailsafeException;
import dev.failsafe.TimeoutExceededException;

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
        String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
        if (failure instanceof AmbassadorException known) return known;
        if (failure instanceof TimeoutExceededException exceeded) {
            if (timeouts.isAttemptTimeout(exceeded)) {
                return AmbassadorException.timedOut("upstream_timeout", upstream + " did not answer within the attempt"
                        + " timeout of " + exceeded.getTimeout().getConfig().getTimeout().toMillis() + " ms (" + tries + ")");
            }
            return AmbassadorException.timedOut("deadline_exceeded", "the request deadline of "
                    + timeouts.requestDeadline().toMillis() + " ms passed while calling " + upstream + " (" + tries + ")");
        }
        if (failure instanceof CircuitBreakerOpenException open) {
            metrics.breakerRejected(upstream);
            Duration wait = open.getCircuitBreaker().getRemainingDelay();
            return AmbassadorException.unavailable("circuit_open", "the circuit breaker for " + upstream
                    + " is open after repeated failures; the upstream was not called", atLeastOneSecond(wait));
        }
        if (failure instanceof BodyTooLargeException tooLarge) {
            return AmbassadorException.badGateway("answer_too_large", upstream + ": " + tooLarge.getMessage());
        }
        if (failure instanceof TruncatedBodyException truncated) {
            return AmbassadorException.badGateway("truncated_answer", upstream + " broke off its answer: "
                    + truncated.getMessage() + " (" + tries + ")");
        }
        if (failure instanceof UnknownHostException) {
            return AmbassadorException.unavailable("upstream_unavailable", "the host of " + upstream
                    + " cannot be resolved; check CAT_API_URL and the network (" + tries + ")", null);
        }
        if (failure instanceof ConnectException) {
            return AmbassadorException.unavailable("upstream_unavailable", "could not connect to " + upstream
                    + " (" + tries + "): " + failure.getMessage(), null);
        }
        if (failure instanceof IOException) {
            return AmbassadorException.unavailable("upstream_unavailable", upstream + " failed ("
                    + tries + "): " + failure.getClass().getSimpleName() + ": " + failure.getMessage(), null);
        }
        if (failure instanceof RuntimeException unexpected) throw unexpected;
        throw new IllegalStateException(failure);
    }

    /**
     * The answer for an upstream response that is not a success, once retries are over. A 5xx or 429 means the
     * upstream is unavailable (503, passing on its Retry-After); a 4xx or a redirect means the request or the
     * upstream is wrong (502).
     */
    public AmbassadorException rejected(UpstreamResponse response, String what, int attempts) {
        int status = response.status();
        String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
        if (status == 429 || status >= 500) {
            return AmbassadorException.unavailable("upstream_unavailable", what + " answered " + status
                    + " (" + tries + ")", retryAfter.requested(response).orElse(null));
        }
        if (status >= 300 && status < 400) {
            return AmbassadorException.badGateway("upstream_redirect", what + " answered with a " + status
                    + " redirect; the ambassador does not follow redirects");
        }
        String hint = status == 401 || status == 403 ? "; check CAT_API_KEY" : "";
        return AmbassadorException.badGateway("upstream_rejected", what + " answered " + status + hint);
    }

    private static Duration atLeastOneSecond(Duration wait) {
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }
}
