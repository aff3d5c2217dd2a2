package dev.ambassadorlab.ambassador;

import java.time.Duration;

/**
 * A failure the caller should hear about, with the HTTP status and the JSON body it becomes at the edge:
 * {@code {"error": code, "reason": sentence}}. 502 means the upstream answered something unusable, 503 that it is
 * unavailable (or the ambassador is shielding it), 504 that the time budget ran out.
 */
public final class AmbassadorException extends RuntimeException {
    private final int status;
    private final String error;
    private final Duration retryAfter;

    private AmbassadorException(int status, String error, String reason, Duration retryAfter) {
        super(reason);
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public static AmbassadorException badRequest(String error, String reason) {
        return new AmbassadorException(400, error, reason, null);
    }

    /** A 4xx for a request the ambassador will not forward as it is: too large (413), too slow to arrive (408)... */
    public static AmbassadorException clientError(int status, String error, String reason) {
        return new AmbassadorException(status, error, reason, null);
    }

    public static AmbassadorException badGateway(String error, String reason) {
        return new AmbassadorException(502, error, reason, null);
    }

    public static AmbassadorException unavailable(String error, String reason, Duration retryAfter) {
        return new AmbassadorException(503, error, reason, retryAfter);
    }

    public static AmbassadorException timedOut(String error, String reason) {
        return new AmbassadorException(504, error, reason, null);
    }

    public static AmbassadorException storage(String reason) {
        return new AmbassadorException(500, "storage_error", reason, null);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String reason() {
        return getMessage();
    }

    /** How long the caller should wait before trying again, when the ambassador knows; otherwise null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** True when the upstream is down or too slow, rather than wrong: the case a stale answer can cover for. */
    public boolean isUpstreamDown() {
        return status == 503 || status == 504;
    }
}
