package dev.ambassadorlab.ambassador.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.AmbassadorHarness;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.statusWithRetryAfter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each way a request can end, as its trace on the admin port, its log line and its metric tell it. */
class DecisionTraceTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_BASE_DELAY_MS", "20",
            "RETRY_MAX_DELAY_MS", "80", "RETRY_AFTER_MAX_MS", "3000", "BREAKER_FAILURE_THRESHOLD", "100");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void theTraceSaysTheRequestsDeadlineAndTheTimeEachAttemptHadSoItCanBeSeenShrinking() {
        catApi.enqueue(status(503));
        catApi.enqueue(json("[]"));

        Expect.status(pod.ambassador().get("/v1/breeds", "X-Request-Deadline-Ms", "1800"), 200, "a 503, then breeds");

        JsonNode trace = pod.ambassador().lastTrace();
        assertThat(trace.path("deadline_ms").asLong()).as("the caller's deadline, in %s", trace).isEqualTo(1800);
        JsonNode first = trace.get("attempts").get(0);
        JsonNode second = trace.get("attempts").get(1);
        assertThat(first.path("limit_ms").asLong()).as("the first attempt's time: the deadline's (ATTEMPT_TIMEOUT_MS "
                + "is 2000), in %s", trace).isBetween(1500L, 1800L);
        assertThat(second.path("limit_ms").asLong()).as("the retry's: what the first and the wait left, in %s", trace)
                .isPositive().isLessThan(first.path("limit_ms").asLong());
        assertThat(first.has("hedge")).as("no hedge flag on a plain attempt").isFalse();
    }

    @Test
    void twoFailedSearchesThenACatShowThreeSearchAttemptsTwoBackoffWaitsAndTheDownload() {
        catApi.enqueue(status(503));
        catApi.enqueue(status(503));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        Expect.status(pod.ambassador().get("/images/latest"), 200, "503, 503, then a cat");

        JsonNode trace = pod.ambassador().lastTrace();
        assertThat(trace.get("ended").asText()).as("ended, in %s", trace).isEqualTo("success");
        assertThat(calls(trace)).as("the attempts' calls and statuses, in %s", trace)
                .containsExactly("search#1=503", "search#2=503", "search#3=200", "image#1=200");
        assertThat(trace.get("waits")).as("the waits, in %s", trace).hasSize(2)
                .allSatisfy(wait -> assertThat(wait.get("reason").asText()).isEqualTo("backoff"));
        JsonNode firstWait = trace.get("waits").get(0);
        JsonNode secondAttempt = trace.get("attempts").get(1);
        assertThat(firstWait.get("offset_ms").asLong() + firstWait.get("took_ms").asLong())
                .as("the first wait ends as the second attempt starts, in %s", trace)
                .isBetween(secondAttempt.get("offset_ms").asLong() - 1, secondAttempt.get("offset_ms").asLong() + 1);
        assertThat(trace.get("status").asInt()).isEqualTo(200);
        assertThat(trace.get("path").asText()).isEqualTo("/images/latest");
        assertThat(pod.ambassador().accessLog()).as("the request's log line").contains("\"ended\":\"success\"");
        Expect.metric(pod.ambassador(), 1, "one request that ended in success", "ambassador_request_endings_total",
                "ended", "success");
    }

    @Test
    void aWaitTheUpstreamAskedForIsLabelledRetryAfter() {
        catApi.enqueue(statusWithRetryAfter(503, "1"));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        Expect.status(pod.ambassador().get("/images/latest"), 200, "a 503 with Retry-After: 1, then a cat");

        JsonNode trace = pod.ambassador().lastTrace();
        assertThat(trace.get("waits")).as("the waits, in %s", trace).hasSize(1);
        JsonNode wait = trace.get("waits").get(0);
        assertThat(wait.get("reason").asText()).as("why it waited, in %s", trace).isEqualTo("retry_after");
        assertThat(wait.get("took_ms").asLong()).as("how long it waited, in %s", trace).isBetween(990L, 1500L);
    }

    @Test
    void everyAttemptFailingEndsRetriesExhausted() {
        for (int i = 0; i < 3; i++) catApi.enqueue(status(500));

        Expect.status(pod.ambassador().get("/images/latest", "Cache-Control", "no-cache"), 503, "three 500s");

        assertEnded("retries_exhausted", "search#1=500", "search#2=500", "search#3=500");
    }

    @Test
    void aPostWithoutIdempotencyKeyAnswered503EndsNotRetryableAfterOneAttempt() {
        catApi.enqueue(status(503));

        var answer = pod.ambassador().post("/v1/favourites", "{\"image_id\":\"tabby\"}");

        Expect.status(answer, 503, "a 503 to a POST without Idempotency-Key");
        assertEnded("not_retryable", "passthrough#1=503");
    }

    @Test
    void aClientErrorFromTheSearchEndsNotRetryable() {
        catApi.enqueue(status(404));

        Expect.status(pod.ambassador().get("/images/latest"), 502, "a 404 from the search");

        assertEnded("not_retryable", "search#1=404");
    }

    @Test
    void aRetryAfterBeyondTheCapEndsRetryAfterTooLongWithoutWaiting() {
        catApi.enqueue(statusWithRetryAfter(503, "60"));

        Expect.status(pod.ambassador().get("/images/latest", "Cache-Control", "no-cache"), 503,
                "a 503 with Retry-After: 60 over RETRY_AFTER_MAX_MS=3000");

        JsonNode trace = assertEnded("retry_after_too_long", "search#1=503");
        assertThat(trace.get("waits")).as("no wait, in %s", trace).isEmpty();
    }

    @Test
    void aSpentRetryBudgetEndsRetryBudgetSpent() {
        catApi.enqueue(status(503));
        pod.start("RETRY_BUDGET_RATIO", "0", "RETRY_BUDGET_MIN_PER_SECOND", "0");

        Expect.status(pod.ambassador().get("/images/latest", "Cache-Control", "no-cache"), 503,
                "a 503 and a retry budget of 0");

        assertEnded("retry_budget_spent", "search#1=503");
    }

    @Test
    void onceTheBreakerIsOpenRequestsEndBreakerOpenWithNoAttempt() {
        for (int i = 0; i < 2; i++) catApi.enqueue(status(500));
        pod.start("BREAKER_FAILURE_THRESHOLD", "2", "RETRY_MAX_RETRIES", "0", "BREAKER_OPEN_MS", "60000");
        for (int i = 0; i < 2; i++) pod.ambassador().get("/images/latest", "Cache-Control", "no-cache");

        Expect.status(pod.ambassador().get("/images/latest", "Cache-Control", "no-cache"), 503,
                "a breaker opened by two 500s");

        assertEnded("breaker_open");
    }

    @Test
    void aDeadlineThatPassesEndsDeadline() {
        catApi.enqueue(status(503));
        catApi.enqueue(searchOn(catApi, "tabby").newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        pod.start("REQUEST_DEADLINE_MS", "400", "ATTEMPT_TIMEOUT_MS", "300");

        Expect.status(pod.ambassador().get("/images/latest", "Cache-Control", "no-cache"), 504,
                "a 503, then a search slower than the deadline");

        JsonNode trace = pod.ambassador().lastTrace();
        assertThat(trace.get("ended").asText()).as("how the request ended, in %s", trace).isEqualTo("deadline");
        assertThat(calls(trace)).as("its attempts: the last ones cut short by the deadline, in %s", trace)
                .startsWith("search#1=503", "search#2=timeout");
        assertThat(trace.get("attempts").get(1).has("status")).as("no status for a timeout, in %s", trace).isFalse();
    }

    @Test
    void aStaleImageEndsStaleFallback() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        for (int i = 0; i < 3; i++) catApi.enqueue(status(503));
        Expect.status(pod.ambassador().get("/images/latest"), 200, "a cat");

        Expect.status(pod.ambassador().get("/images/latest"), 200, "three 503s after a cat: the stale one");

        assertEnded("stale_fallback", "search#1=503", "search#2=503", "search#3=503");
    }

    @Test
    void aRefusedCallerEndsCallerErrorWithNoAttempt() {
        Expect.status(pod.ambassador().get("/images/latest", "X-Ambassador-Max-Retries", "lots"), 400,
                "X-Ambassador-Max-Retries: lots");

        assertEnded("caller_error");
    }

    @Test
    void aMalformedSearchAnswerEndsHostileUpstream() {
        catApi.enqueue(json("{\"not\":\"a list\"}"));

        Expect.status(pod.ambassador().get("/images/latest"), 502, "a search answer that is not a list");

        assertEnded("hostile_upstream", "search#1=200");
    }

    @Test
    void noPermitInTimeEndsBulkheadFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        catApi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if (request.getUrl().encodedPath().startsWith("/images")) return jpeg();
                release.await(10, TimeUnit.SECONDS);
                return searchOn(catApi, "tabby");
            }
        });
        AmbassadorHarness ambassador = pod.start("BULKHEAD_MAX_CONCURRENT", "1", "BULKHEAD_MAX_WAIT_MS", "0");
        var holder = CompletableFuture.supplyAsync(() -> ambassador.get("/images/latest").status());
        await().atMost(Duration.ofSeconds(5)).until(() -> catApi.getRequestCount() == 1);

        Expect.status(ambassador.get("/images/latest"), 503, "the only permit held by a slow search");
        JsonNode refused = ambassador.lastTrace();
        release.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo(200);

        assertThat(refused.get("ended").asText()).as("how the refused request ended, in %s", refused)
                .isEqualTo("bulkhead_full");
        assertThat(refused.get("attempts")).as("its attempts, in %s", refused).isEmpty();
        Expect.metric(ambassador, 1, "the refused request", "ambassador_request_endings_total", "ended",
                "bulkhead_full");
    }

    /** Asserts the last trace's ending and its attempts, as "call#number=status or outcome"; returns the trace. */
    private JsonNode assertEnded(String ended, String... attempts) {
        JsonNode trace = pod.ambassador().lastTrace();
        assertThat(trace.get("ended").asText()).as("how the request ended, in %s", trace).isEqualTo(ended);
        assertThat(calls(trace)).as("its attempts, in %s", trace).containsExactly(attempts);
        assertThat(pod.ambassador().accessLog()).as("the request's log line")
                .contains("\"ended\":\"" + ended + "\"");
        Expect.metric(pod.ambassador(), 1, "the request that ended " + ended, "ambassador_request_endings_total",
                "ended", ended);
        return trace;
    }

    private static List<String> calls(JsonNode trace) {
        List<String> calls = new ArrayList<>();
        for (JsonNode attempt : trace.get("attempts")) {
            String result = attempt.has("status") ? attempt.get("status").asText() : attempt.get("outcome").asText();
            calls.add(attempt.get("call").asText() + "#" + attempt.get("number").asInt() + "=" + result);
        }
        return calls;
    }
}
