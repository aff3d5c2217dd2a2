package dev.ambassadorlab.ambassador.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent request traces, in a ring of a fixed size: memory does not grow with traffic, and a request pays one
 * counter increment and one array write to be kept. A size of 0 keeps none. Readers get copies, newest first.
 */
public final class TraceBuffer {
    /** A trace with its number, so that a reader tells it from the one it replaced. */
    private record Slot(long number, RequestTrace trace) {
    }

    private final AtomicReferenceArray<Slot> ring;
    /** How many traces were ever added; the next one goes to this number modulo the ring's size. */
    private final AtomicLong added = new AtomicLong();

    public TraceBuffer(int size) {
        ring = new AtomicReferenceArray<>(size);
    }

    public int size() {
        return ring.length();
    }

    public void add(RequestTrace trace) {
        if (ring.length() == 0) return;
        long number = added.getAndIncrement();
        ring.set((int) (number % ring.length()), new Slot(number, trace));
    }

    /** How many traces were ever added: a reader remembers it, and asks {@link #between} for what came after. */
    public long added() {
        return added.get();
    }

    /** Up to {@code limit} of the latest traces, newest first. */
    public List<RequestTrace> latest(int limit) {
        long end = added.get();
        return between(Math.max(0, end - limit), end, true);
    }

    /**
     * The traces numbered from {@code from} up to {@code to} (what {@link #added} said), oldest first; those the ring
     * has overwritten since are gone.
     */
    public List<RequestTrace> between(long from, long to) {
        return between(from, to, false);
    }

    private List<RequestTrace> between(long from, long to, boolean newestFirst) {
        long start = Math.max(from, to - ring.length());
        List<RequestTrace> traces = new ArrayList<>((int) Math.max(0, to - start));
        for (long i = start; i < to; i++) {
            Slot slot = ring.get((int) (i % ring.length()));
            // A number taken but not yet written (a request finishing right now), or already overwritten, is skipped.
            if (slot != null && slot.number() == i) traces.add(slot.trace());
        }
        if (newestFirst) Collections.reverse(traces);
        return traces;
    }
}
