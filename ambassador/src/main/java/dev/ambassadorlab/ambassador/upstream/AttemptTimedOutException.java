package dev.ambassadorlab.ambassador.upstream;

import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * An attempt ran out of time and its call was cancelled. It is an I/O failure, so the circuit breaker counts it and the
 * retry policy retries it, unless it was the caller's deadline that ran out: then the wait before the next retry is
 * refused and the request ends.
 */
public final class AttemptTimedOutException extends InterruptedIOException {
    private final Duration limit;
    private final boolean byDeadline;

    public AttemptTimedOutException(String upstream, Duration limit, boolean byDeadline, Throwable cause) {
        super(upstream + " did not answer within " + limit.toMillis() + " ms"
                + (byDeadline ? ", what was left of the request deadline" : ", the attempt timeout"));
        this.limit = limit;
        this.byDeadline = byDeadline;
        initCause(cause);
    }

    /** The time the attempt had. */
    public Duration limit() {
        return limit;
    }

    /** True when the caller's deadline, not the attempt timeout, ended the attempt. */
    public boolean byDeadline() {
        return byDeadline;
    }
}
