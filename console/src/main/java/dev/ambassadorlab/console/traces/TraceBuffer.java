package dev.ambassadorlab.console.traces;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** The latest traces (a fixed number, as the ambassador's JSON) and whoever watches for new ones: the browsers. */
public final class TraceBuffer {
    private final int capacity;
    private final Deque<String> traces = new ArrayDeque<>();
    private final List<Consumer<String>> watchers = new ArrayList<>();

    public TraceBuffer(int capacity) {
        this.capacity = capacity;
    }

    public void add(String traceJson) {
        List<Consumer<String>> toTell;
        synchronized (this) {
            if (traces.size() == capacity) traces.removeFirst();
            traces.addLast(traceJson);
            toTell = List.copyOf(watchers);
        }
        toTell.forEach(watcher -> watcher.accept(traceJson));
    }

    /** Up to limit traces, newest first. */
    public synchronized List<String> latest(int limit) {
        List<String> newestFirst = new ArrayList<>(Math.min(limit, traces.size()));
        var it = traces.descendingIterator();
        while (it.hasNext() && newestFirst.size() < limit) newestFirst.add(it.next());
        return newestFirst;
    }

    /** Starts telling the watcher about new traces and returns those it already has, oldest first, with none lost between. */
    public synchronized List<String> watch(Consumer<String> watcher) {
        watchers.add(watcher);
        return List.copyOf(traces);
    }

    public synchronized void unwatch(Consumer<String> watcher) {
        watchers.remove(watcher);
    }
}
