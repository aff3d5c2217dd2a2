package dev.ambassadorlab.ambassador.trace;

import java.util.ArrayList;
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
        ring.set(index(number), new Slot(number, trace));
    }

    /** How many traces were ever added: a reader starts {@link #after} this number to get only what comes next. */
    public long added() {
        return added.get();
    }

    /** Traces a reader had not had yet, oldest first, and the number to ask {@link #after} for next time. */
    public record Batch(List<RequestTrace> traces, long next) {
    }

    /**
     * The traces numbered from {@code next} on, oldest first; those the ring has overwritten since are gone. A request
     * takes its number before it writes its slot: a number whose trace is not written yet (its request is finishing
     * right now) ends the batch there, and the next call starts with it, so a reader that follows the buffer misses
     * none.
     */
    public Batch after(long next) {
        long to = added.get();
        long start = Math.max(next, to - ring.length());
        List<RequestTrace> traces = new ArrayList<>((int) Math.max(0, to - start));
        for (long i = start; i < to; i++) {
            Slot slot = ring.get(index(i));
            if (slot == null || slot.number() < i) return new Batch(traces, i);
            if (slot.number() == i) traces.add(slot.trace());
        }
        return new Batch(traces, to);
    }

    /** Up to {@code limit} of the latest traces, newest first; one still being written is left out. */
    public List<RequestTrace> latest(int limit) {
        long to = added.get();
        List<RequestTrace> traces = new ArrayList<>(Math.min(limit, ring.length()));
        for (long i = to - 1; i >= Math.max(0, to - Math.min(limit, ring.length())); i--) {
            Slot slot = ring.get(index(i));
            if (slot != null && slot.number() == i) traces.add(slot.trace());
        }
        return traces;
    }

    private int index(long number) {
        return (int) (number % ring.length());
    }
}
