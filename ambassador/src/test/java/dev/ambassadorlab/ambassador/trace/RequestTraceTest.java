package dev.ambassadorlab.ambassador.trace;

import dev.ambassadorlab.ambassador.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A trace's times, numbers and fields, as its JSON shows them. */
class RequestTraceTest {
    private static final long MILLIS = 1_000_000;
    /** A request that arrived 50 ms ago, so that every offset and length below is at least that far from zero. */
    private final long arrived = System.nanoTime() - 50 * MILLIS;

    @Test
    void attemptsAndTheWaitBetweenThemAreTimedFromTheRequestsArrival() {
        RequestTrace trace = new RequestTrace("r-1", true, arrived, 1_765_000_000_123L);
        long first = trace.attemptStarting("search", 1);
        trace.attemptEnded("search", 1, first - 20 * MILLIS, "server_error", 503);
        trace.waitPlanned("backoff");
        long second = trace.attemptStarting("search", 2);
        trace.attemptEnded("search", 2, second, "success", 200);
        trace.finish("GET", "/images/latest", 200, false);

        RequestTrace.Attempt one = trace.attempts().get(0);
        long firstOffset = first - 20 * MILLIS - arrived;
        assertThat(one.offsetNanos()).as("the first attempt's start, from the request's arrival").isEqualTo(firstOffset);
        assertThat(one.tookNanos()).as("it took 20 ms and what the test took since").isBetween(20 * MILLIS, 30 * MILLIS);
        assertThat(trace.waits()).hasSize(1);
        RequestTrace.Wait wait = trace.waits().get(0);
        assertThat(wait.afterAttempt()).isEqualTo(1);
        assertThat(wait.call()).isEqualTo("search");
        assertThat(wait.offsetNanos()).as("the wait began as the first attempt ended")
                .isEqualTo(one.offsetNanos() + one.tookNanos());
        assertThat(trace.attempts().get(1).offsetNanos()).as("the second attempt began as the wait ended")
                .isBetween(wait.offsetNanos() + wait.tookNanos(), wait.offsetNanos() + wait.tookNanos() + MILLIS);
        assertThat(trace.tookNanos()).as("the whole request: at least its 50 ms").isGreaterThanOrEqualTo(50 * MILLIS);

        String json = TraceJson.of(trace);
        assertThat(json).startsWith("{\"request_id\":\"r-1\",\"method\":\"GET\",\"path\":\"/images/latest\",\"status\":200,"
                + "\"ended\":\"success\",\"started_at\":\"" + Instant.ofEpochMilli(1_765_000_000_123L) + "\",\"took_ms\":");
        assertThat(json).contains("{\"call\":\"search\",\"number\":1,\"offset_ms\":" + Math.round(firstOffset / 1e6)
                + ",\"took_ms\":" + Math.round(one.tookNanos() / 1e6) + ",\"outcome\":\"server_error\",\"status\":503}",
                "\"after_attempt\":1,", "\"reason\":\"backoff\"}");
    }

    @Test
    void aWaitIsOnlyRecordedBeforeARetryThatWasPlanned() {
        RequestTrace trace = new RequestTrace("r-2", true, arrived, 0);
        trace.attemptEnded("search", 1, trace.attemptStarting("search", 1), "success", 200);
        trace.waitPlanned("backoff");
        trace.attemptEnded("image", 1, trace.attemptStarting("image", 1), "success", 200);

        assertThat(trace.waits()).as("no wait before the first attempt of the next call").isEmpty();
    }

    @Test
    void aTraceNobodyReadsKeepsNoStepsYetKnowsHowItEnded() {
        RequestTrace trace = new RequestTrace("r-3", false, arrived, 0);
        trace.attemptEnded("search", 1, trace.attemptStarting("search", 1), "server_error", 503);
        trace.waitPlanned("backoff");
        trace.attemptEnded("search", 2, trace.attemptStarting("search", 2), "server_error", 503);
        trace.note(Ending.RETRY_BUDGET_SPENT);
        trace.failedWith(ErrorCode.UPSTREAM_UNAVAILABLE);

        assertThat(trace.finish("GET", "/images/latest", 503, false)).isEqualTo(Ending.RETRY_BUDGET_SPENT);
        assertThat(trace.attempts()).isEmpty();
        assertThat(trace.waits()).isEmpty();
    }

    @Test
    void aStaleAnswerEndsStaleFallbackWhateverFailedBeforeIt() {
        RequestTrace trace = new RequestTrace("r-4", true, arrived, 0);
        trace.failedWith(ErrorCode.UPSTREAM_UNAVAILABLE);

        assertThat(trace.finish("GET", "/images/latest", 200, true)).isEqualTo(Ending.STALE_FALLBACK);
        assertThat(trace.ended()).isEqualTo(Ending.STALE_FALLBACK);
    }

    /**
     * A caller chooses its path, up to the server's 8 KB request line: kept whole, 10,000 traces (TRACE_BUFFER_SIZE's
     * ceiling) of such paths would outgrow the ambassador's 64 MB heap, and it stops on running out of memory.
     */
    @Test
    void aLongPathIsKeptCutSoATraceStaysSmallWhateverTheCallerSends() {
        RequestTrace trace = new RequestTrace("r-5", true, arrived, 0);
        String path = "/v1/" + "\u00e9".repeat(8_000);

        trace.finish("GET", path, 404, false);

        assertThat(trace.path()).hasSize(RequestTrace.PATH_MAX_CHARS + 3).startsWith("/v1/\u00e9").endsWith("...");
        RequestTrace shortOne = new RequestTrace("r-6", true, arrived, 0);
        shortOne.finish("GET", "/v1/images/search", 200, false);
        assertThat(shortOne.path()).isEqualTo("/v1/images/search");
    }
}
