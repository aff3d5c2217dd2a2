package dev.ambassadorlab.ambassador.errors;

import java.time.Duration;

/**
 * A failure the caller should hear about: an {@link ErrorCode} (which fixes the HTTP status) and a reason in words,
 * written at the edge as {@code {"error": code, "reason": sentence}}. 502 means the upstream answered something
 * unusable, 503 that it is unavailable (or the ambassador is shielding it), 504 that the time budget ran out.
 *
 * <p>The reason is the ambassador's own words and numbers only: never text an upstream or a library chose (a status
 * line, a header value, an exception's message), nor the pod's addresses and paths. Such details go in
 * {@link #detail()}, which only the request log shows, with the API key masked.
 */
public final class AmbassadorException extends RuntimeException {
    private final ErrorCode code;
    private final Duration retryAfter;
    private final String detail;

    public AmbassadorException(ErrorCode code, String reason) {
        this(code, reason, null);
    }

    /** @param retryAfter how long the caller should wait before trying again, or null when nobody knows */
    public AmbassadorException(ErrorCode code, String reason, Duration retryAfter) {
        this(code, reason, retryAfter, null);
    }

    /** @param detail what went wrong in technical terms, for the log only; null when the reason says it all */
    public AmbassadorException(ErrorCode code, String reason, Duration retryAfter, String detail) {
        super(reason);
        this.code = code;
        this.retryAfter = retryAfter;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    /** The code as the caller reads it in the JSON body. */
    public String error() {
        return code.code();
    }

    public String reason() {
        return getMessage();
    }

    /** How long the caller should wait before trying again, when the ambassador knows; otherwise null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The technical detail for the log (it may hold upstream text: never for an answer), or null. */
    public String detail() {
        return detail;
    }

    /** True when the upstream is down or too slow, rather than wrong: the case a stale answer can cover for. */
    public boolean isUpstreamDown() {
        return status() == 503 || status() == 504;
    }
}
