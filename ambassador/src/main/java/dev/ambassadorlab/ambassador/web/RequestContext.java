package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.AmbassadorException;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the ambassador knows about one caller's request while serving it: its id, when its deadline passes, how many
 * retries the caller allows, whether it accepts a stale answer, and counters for the log line.
 */
public final class RequestContext {
    private final String requestId;
    private final long startNanos;
    private final long deadlineNanos;
    private final int retriesWanted;
    private final boolean acceptsStale;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger callAttempts = new AtomicInteger();
    private volatile boolean servedStale;
    private volatile String detail;

    public RequestContext(String requestId, Duration deadline, int retriesWanted, boolean acceptsStale) {
        this.requestId = requestId;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + deadline.toNanos();
        this.retriesWanted = retriesWanted;
        this.acceptsStale = acceptsStale;
    }

    /**
     * Starts the context for a proxied request and attaches it to Javalin's context, so the request log finds it even
     * when the caller's headers are refused (that request is still counted, as a client error).
     */
    public static RequestContext begin(Context ctx, Duration deadline, int maxRetries) {
        String requestId = ctx.attribute(CallerHeaders.REQUEST_ID);
        try {
            CallerHeaders.refuseMethodOverride(ctx);
            var request = new RequestContext(requestId, deadline, CallerHeaders.retriesWanted(ctx, maxRetries),
                    CallerHeaders.acceptsStale(ctx));
            ctx.attribute(RequestLog.CONTEXT_KEY, request);
            return request;
        } catch (AmbassadorException refused) {
            ctx.attribute(RequestLog.CONTEXT_KEY, new RequestContext(requestId, deadline, 0, false));
            throw refused;
        }
    }

    public String requestId() {
        return requestId;
    }

    /** Time left before the caller's deadline; zero or negative once it has passed. */
    public Duration remaining() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public int retriesWanted() {
        return retriesWanted;
    }

    public boolean acceptsStale() {
        return acceptsStale;
    }

    public void callStarted() {
        calls.incrementAndGet();
        callAttempts.set(0);
    }

    public void attemptStarted() {
        attempts.incrementAndGet();
        callAttempts.incrementAndGet();
    }

    /** Attempts made by the current (or last) upstream call. */
    public int callAttempts() {
        return callAttempts.get();
    }

    public int attempts() {
        return attempts.get();
    }

    /** Every attempt beyond the first of each upstream call was a retry. */
    public int retries() {
        return Math.max(0, attempts.get() - calls.get());
    }

    /**
     * Keeps what went wrong in technical terms (an exception's message, a hostile value) for the request's log line:
     * the answer never carries it. The last one noted wins.
     */
    public void noteDetail(String detail) {
        if (detail != null) this.detail = detail;
    }

    /** The technical detail of the failure this request met, or null; it may quote the upstream. */
    public String detail() {
        return detail;
    }

    public void markServedStale() {
        servedStale = true;
    }

    public boolean servedStale() {
        return servedStale;
    }
}
