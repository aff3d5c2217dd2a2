package dev.ambassadorlab.ambassador.trace;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring of the latest traces: bounded, newest first, and honest about what it no longer holds. */
class TraceBufferTest {
    @Test
    void keepsOnlyTheLatestTracesNewestFirst() {
        TraceBuffer buffer = new TraceBuffer(3);
        List<RequestTrace> traces = IntStream.range(0, 5).mapToObj(TraceBufferTest::trace).toList();
        traces.forEach(buffer::add);

        assertThat(ids(buffer.latest(10))).as("a ring of 3 after 5 traces").containsExactly("r4", "r3", "r2");
        assertThat(ids(buffer.latest(2))).containsExactly("r4", "r3");
        assertThat(buffer.added()).isEqualTo(5);
    }

    @Test
    void betweenGivesWhatCameAfterAReaderLastLookedOldestFirst() {
        TraceBuffer buffer = new TraceBuffer(4);
        buffer.add(trace(0));
        long seen = buffer.added();
        buffer.add(trace(1));
        buffer.add(trace(2));

        TraceBuffer.Batch batch = buffer.after(seen);
        assertThat(ids(batch.traces())).containsExactly("r1", "r2");
        assertThat(batch.next()).as("where to look next time").isEqualTo(3);
        assertThat(buffer.after(batch.next()).traces()).isEmpty();
    }

    @Test
    void tracesTheRingHasOverwrittenAreGoneNotRepeated() {
        TraceBuffer buffer = new TraceBuffer(2);
        IntStream.range(0, 6).mapToObj(TraceBufferTest::trace).forEach(buffer::add);

        assertThat(ids(buffer.after(0).traces())).as("a reader far behind gets what is left").containsExactly("r4", "r5");
        assertThat(buffer.after(0).next()).isEqualTo(6);
    }

    /**
     * A request takes its number, then writes its slot: a reader that looks between the two must come back for that
     * trace, not step past it. Writers race a reader that follows the buffer as the trace stream does.
     */
    @Test
    void aReaderFollowingTheBufferGetsEveryTraceOnceWhileWritersRace() throws Exception {
        int writers = 4;
        int each = 20_000;
        TraceBuffer buffer = new TraceBuffer(writers * each);
        Set<String> seen = new HashSet<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads[w] = new Thread(() -> {
                for (int i = 0; i < each; i++) buffer.add(trace(writer * each + i));
            });
            threads[w].start();
        }
        Thread stopper = new Thread(() -> {
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException stop) {
                    return;
                }
            }
            writing.set(false);
        });
        stopper.start();
        long next = 0;
        boolean last = false;
        while (!last) {
            last = !writing.get();
            TraceBuffer.Batch batch = buffer.after(next);
            for (RequestTrace trace : batch.traces()) {
                if (!seen.add(trace.requestId())) throw new AssertionError(trace.requestId() + " came twice");
            }
            next = batch.next();
        }

        assertThat(seen.size()).as("traces the reader got, of all added while it followed").isEqualTo(writers * each);
    }

    @Test
    void aSizeOfZeroKeepsNothing() {
        TraceBuffer buffer = new TraceBuffer(0);
        buffer.add(trace(0));

        assertThat(buffer.latest(5)).isEmpty();
        assertThat(buffer.after(0).traces()).isEmpty();
    }

    private static RequestTrace trace(int number) {
        return new RequestTrace("r" + number, true, System.nanoTime(), System.currentTimeMillis());
    }

    private static List<String> ids(List<RequestTrace> traces) {
        return traces.stream().map(RequestTrace::requestId).toList();
    }
}
