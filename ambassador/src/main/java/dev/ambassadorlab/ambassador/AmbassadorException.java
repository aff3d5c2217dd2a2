package dev.ambassadorlab.ambassador;

import java.time.Duration;

/**
 * A failure the caller should hear about: an {@link ErrorCode} (which fixes the HTTP status) and a reason in words,
 * written at the edge as {@code {"error": code, "reason": sentence}}. 502 means the upstream answered something
 * unusable, 503 that it is unavailable (or the ambassador is shielding it), 504 that the time budget ran out.
 */
public final class AmbassadorException extends RuntimeException {
    private final ErrorCode code;
    private final Duration retryAfter;

    public AmbassadorException(ErrorCode code, String reason) {
        this(code, reason, null);
    }

    /** @param retryAfter how long the caller should wait before trying again, or null when nobody knows */
    public AmbassadorException(ErrorCode code, String reason, Duration retryAfter) {
        super(reason);
        this.code = code;
        this.retryAfter = retryAfter;
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

    /** True when the upstream is down or too slow, rather than wrong: the case a stale answer can cover for. */
    public boolean isUpstreamDown() {
        return status() == 503 || status() == 504;
    }
}
