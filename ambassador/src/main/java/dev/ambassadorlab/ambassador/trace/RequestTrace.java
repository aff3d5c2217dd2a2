package dev.ambassadorlab.ambassador.trace;

import dev.ambassadorlab.ambassador.errors.ErrorCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ambassador decided for one proxied request, in order: each attempt upstream, each wait before a retry and
 * why, and how the request ended. It holds no header value, body or query string: only the method, the path, the
 * request id, statuses and times, so that whoever reads the traces on the admin port learns nothing a caller sent.
 *
 * <p>One request is served by one thread: the trace is written by it without locks, and published to the
 * {@link TraceBuffer} once, when the request is over, after which nothing changes it.
 */
public final class RequestTrace {
    /**
     * An attempt upstream; {@code status} is 0 when no answer came (a timeout, a reset, a refused connection),
     * {@code limitMs} the time it was given (0 when not known), {@code hedge} whether it was a hedged copy.
     */
    public record Attempt(String call, int number, long offsetNanos, long tookNanos, String outcome, int status,
                          long limitMs, boolean hedge) {
    }

    /** A wait before retrying {@code call} after its attempt {@code afterAttempt}: "backoff" or "retry_after". */
    public record Wait(String call, int afterAttempt, long offsetNanos, long tookNanos, String reason) {
    }

    /**
     * A path longer than this is kept cut, with "...": the caller chooses it, up to the server's 8 KB request line, and
     * a full buffer (TRACE_BUFFER_SIZE up to 10,000) of such paths would not fit in the ambassador's heap.
     */
    public static final int PATH_MAX_CHARS = 256;
    private final String requestId;
    private final boolean keepsSteps;
    private final long startNanos;
    private final long startedAtMillis;
    private final List<Attempt> attempts = new ArrayList<>(2);
    private List<Wait> waits = List.of();
    private String plannedWait;
    private long lastAttemptEndNanos;
    private ErrorCode error;
    private Ending noted;
    private String method;
    private String path;
    private int status;
    private Ending ended;
    private long tookNanos;
    private long deadlineMs;

    /**
     * @param keepsSteps false when nobody will read the trace (TRACE_BUFFER_SIZE=0): its attempts and waits are not
     *                   kept, only what its ending needs
     */
    public RequestTrace(String requestId, boolean keepsSteps, long startNanos, long startedAtMillis) {
        this.requestId = requestId;
        this.keepsSteps = keepsSteps;
        this.startNanos = startNanos;
        this.startedAtMillis = startedAtMillis;
    }

    /**
     * Called as an attempt is about to be sent: when a retry of the same call was waiting, the time since the last
     * attempt ended is that wait. Returns the attempt's start, for {@link #attemptEnded}.
     */
    public synchronized long attemptStarting(String call, int number) {
        long now = System.nanoTime();
        if (plannedWait != null && number > 1 && keepsSteps) {
            if (waits.isEmpty()) waits = new ArrayList<>(2);
            waits.add(new Wait(call, number - 1, lastAttemptEndNanos - startNanos, now - lastAttemptEndNanos,
                    plannedWait));
        }
        plannedWait = null;
        return now;
    }

    /** The request's deadline: the configured one, or its caller's when shorter. */
    public void deadline(Duration deadline) {
        deadlineMs = deadline.toMillis();
    }

    /** @param status the answer's status, or 0 when none came */
    public void attemptEnded(String call, int number, long attemptStartNanos, String outcome, int status) {
        attemptEnded(call, number, attemptStartNanos, outcome, status, 0, false);
    }

    /**
     * @param limitMs the time the attempt was given, as the upstream was told it
     * @param hedge   whether this was a hedged copy of attempt {@code number}, sent while it was slow; a hedged
     *                attempt's copies end on threads of their own, hence the lock
     */
    public synchronized void attemptEnded(String call, int number, long attemptStartNanos, String outcome, int status,
                                          long limitMs, boolean hedge) {
        if (!keepsSteps) return;
        long now = System.nanoTime();
        lastAttemptEndNanos = now;
        attempts.add(new Attempt(call, number, attemptStartNanos - startNanos, now - attemptStartNanos, outcome,
                status, limitMs, hedge));
    }

    /** The retry policy chose to wait before the next attempt, for this reason ("backoff" or "retry_after"). */
    public void waitPlanned(String reason) {
        plannedWait = reason;
    }

    /** Why the request is ending, when the error code alone cannot tell (see {@link Ending#ofError}). */
    public void note(Ending why) {
        noted = why;
    }

    /** The request is answered with this error of the ambassador's. */
    public void failedWith(ErrorCode code) {
        error = code;
    }

    /** Closes the trace: how the request ended, from what it met on its way. Returns that ending. */
    public Ending finish(String method, String path, int status, boolean servedStale) {
        this.method = method;
        this.path = path.length() > PATH_MAX_CHARS ? path.substring(0, PATH_MAX_CHARS) + "..." : path;
        this.status = status;
        this.tookNanos = System.nanoTime() - startNanos;
        if (servedStale) ended = Ending.STALE_FALLBACK;
        else if (error != null) ended = Ending.ofError(error, noted);
        else ended = Ending.ofRelayed(status, noted);
        return ended;
    }

    public String requestId() {
        return requestId;
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    public List<Wait> waits() {
        return waits;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public int status() {
        return status;
    }

    public Ending ended() {
        return ended;
    }

    public long tookNanos() {
        return tookNanos;
    }

    /** The request's deadline in milliseconds, or 0 when it was not given. */
    public long deadlineMs() {
        return deadlineMs;
    }
}
