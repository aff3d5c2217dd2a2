package dev.ambassadorlab.ambassador.request;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.trace.Ending;
import dev.ambassadorlab.ambassador.trace.RequestTrace;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the ambassador knows about one caller's request while serving it: its id, when its deadline passes, how many
 * retries the caller allows, whether it accepts a stale answer, the body memory it holds, counters for the log line,
 * and the trace of what was decided for it.
 */
public final class RequestContext {
    private final String requestId;
    private final long startNanos;
    private final Duration deadline;
    private final long deadlineNanos;
    private final int retriesAllowed;
    private final boolean acceptsStale;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger callAttempts = new AtomicInteger();
    private final AtomicInteger hedges = new AtomicInteger();
    private final BodyMemory memory;
    private final AtomicLong heldBodyBytes = new AtomicLong();
    private final RequestTrace trace;
    private volatile boolean servedStale;
    private volatile String detail;

    public RequestContext(String requestId, Duration deadline, int retriesAllowed, boolean acceptsStale,
                          BodyMemory memory) {
        this(requestId, deadline, retriesAllowed, acceptsStale, memory, true);
    }

    /** @param traced whether its trace keeps its attempts and waits for {@code /debug/requests} */
    public RequestContext(String requestId, Duration deadline, int retriesAllowed, boolean acceptsStale,
                          BodyMemory memory, boolean traced) {
        this.requestId = requestId;
        this.memory = memory;
        this.startNanos = System.nanoTime();
        this.deadline = deadline;
        this.deadlineNanos = startNanos + deadline.toNanos();
        this.retriesAllowed = retriesAllowed;
        this.acceptsStale = acceptsStale;
        this.trace = new RequestTrace(requestId, traced, startNanos, System.currentTimeMillis());
        trace.deadline(deadline);
    }

    /**
     * Holds that many more bytes of a body in memory for this request, borrowed from the ambassador's
     * {@link BodyMemory}; a 503 {@code overloaded} when there is not that much left to lend.
     */
    public void holdBodyBytes(long bytes) {
        if (bytes <= 0) return;
        if (!memory.tryLend(bytes)) {
            trace.note(Ending.OVERLOADED);
            throw new AmbassadorException(ErrorCode.OVERLOADED, "the ambassador already holds as many request and "
                    + "answer bodies as its memory for them allows (BODY_MEMORY_MAX_BYTES); try again shortly",
                    Duration.ofSeconds(1), "BODY_MEMORY_MAX_BYTES=" + memory.capacity() + ": " + memory.lent()
                    + " bytes lent, " + bytes + " more asked for");
        }
        heldBodyBytes.addAndGet(bytes);
    }

    /** Gives back up to that many bytes of what this request holds: a body it no longer needs. */
    public void releaseBodyBytes(long bytes) {
        long released = Math.min(bytes, heldBodyBytes.getAndUpdate(held -> held - Math.min(bytes, held)));
        if (released > 0) memory.giveBack(released);
    }

    /** Gives back everything this request holds: it is over. */
    public void releaseAllBodyBytes() {
        releaseBodyBytes(Long.MAX_VALUE);
    }

    /** Bytes of bodies this request holds now. */
    public long heldBodyBytes() {
        return heldBodyBytes.get();
    }

    /** What the ambassador decided for this request so far: its attempts and waits. */
    public RequestTrace trace() {
        return trace;
    }

    public String requestId() {
        return requestId;
    }

    /** How long this request may take: REQUEST_DEADLINE_MS, or the caller's shorter one. */
    public Duration deadline() {
        return deadline;
    }

    /** Time left before the caller's deadline; zero or negative once it has passed. */
    public Duration remaining() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public int retriesAllowed() {
        return retriesAllowed;
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

    /** A hedged copy of an attempt went out: it is not an attempt of its own, nor a retry. */
    public void hedgeSent() {
        hedges.incrementAndGet();
    }

    public int hedgesSent() {
        return hedges.get();
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
