package dev.ambassadorlab.ambassador.trace;

import org.junit.jupiter.api.Test;

import java.util.List;
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

        assertThat(ids(buffer.between(seen, buffer.added()))).containsExactly("r1", "r2");
        assertThat(buffer.between(buffer.added(), buffer.added())).isEmpty();
    }

    @Test
    void tracesTheRingHasOverwrittenAreGoneNotRepeated() {
        TraceBuffer buffer = new TraceBuffer(2);
        IntStream.range(0, 6).mapToObj(TraceBufferTest::trace).forEach(buffer::add);

        assertThat(ids(buffer.between(0, 6))).as("a reader far behind gets what is left").containsExactly("r4", "r5");
        assertThat(ids(buffer.between(0, 5))).as("up to the number it was told").containsExactly("r4");
    }

    @Test
    void aSizeOfZeroKeepsNothing() {
        TraceBuffer buffer = new TraceBuffer(0);
        buffer.add(trace(0));

        assertThat(buffer.latest(5)).isEmpty();
        assertThat(buffer.between(0, buffer.added())).isEmpty();
    }

    private static RequestTrace trace(int number) {
        return new RequestTrace("r" + number, true, System.nanoTime(), System.currentTimeMillis());
    }

    private static List<String> ids(List<RequestTrace> traces) {
        return traces.stream().map(RequestTrace::requestId).toList();
    }
}
