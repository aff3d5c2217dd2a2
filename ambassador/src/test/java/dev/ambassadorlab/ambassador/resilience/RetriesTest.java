package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.statusWithRetryAfter;
import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are retried, how often, and which requests never are. */
class RetriesTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_BASE_DELAY_MS", "10", "RETRY_MAX_DELAY_MS", "40",
            "RETRY_AFTER_MAX_MS", "3000", "BREAKER_FAILURE_THRESHOLD", "100");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void whenEveryAttemptFailsTheCallerGetsA503AfterTheConfiguredRetries() {
        for (int i = 0; i < 3; i++) catApi.enqueue(status(500));

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 503, "three 500s from the search");
        Expect.upstreamCalls(catApi, 3, "the first attempt and RETRY_MAX_RETRIES (2) retries, since a 5xx is retried");
        assertThat(answer.body()).as("the 503's body").contains("\"error\":\"upstream_unavailable\"",
                "answered 500 (3 attempts)");
        Expect.metric(pod.ambassador(), 2, "two retries", "ambassador_retries_total");
    }

    @Test
    void aConnectionDroppedBeforeTheAnswerIsRetried() {
        catApi.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket())
                .build());
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 200, "a connection closed before the answer, then a cat");
        Expect.metric(pod.ambassador(), 1, "one retry after the dropped connection", "ambassador_retries_total");
    }

    @Test
    void aClientErrorIsNotRetried() {
        catApi.enqueue(status(400));

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 502, "a 400 from the search");
        assertThat(answer.body()).as("the 502's body").contains("\"error\":\"upstream_rejected\"", "answered 400");
        Expect.upstreamCalls(catApi, 1, "a 4xx would only fail again, so it is not retried");
        Expect.metric(pod.ambassador(), 0, "no retry for a 400", "ambassador_retries_total");
    }

    @Test
    void theCallerCanLowerTheRetriesForOneRequest() {
        for (int i = 0; i < 3; i++) catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest", "X-Ambassador-Max-Retries", "0");

        Expect.status(answer, 503, "503s from the search and X-Ambassador-Max-Retries: 0");
        Expect.upstreamCalls(catApi, 1, "the caller asked for no retries");
    }

    @Test
    void theCallerCannotRaiseTheRetriesAboveTheConfiguredMaximum() {
        for (int i = 0; i < 10; i++) catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest", "X-Ambassador-Max-Retries", "9");

        Expect.status(answer, 503, "503s from the search and X-Ambassador-Max-Retries: 9");
        Expect.upstreamCalls(catApi, 3, "1 + RETRY_MAX_RETRIES (2): a caller may lower the retries, never raise them");
    }

    @Test
    void aMalformedRetryHeaderIsA400ThatSaysWhatIsAccepted() {
        var answer = pod.ambassador().get("/images/latest", "X-Ambassador-Max-Retries", "lots");

        Expect.status(answer, 400, "X-Ambassador-Max-Retries: lots");
        assertThat(answer.body()).as("the 400's body, saying what is accepted")
                .contains("X-Ambassador-Max-Retries must be a whole number from 0 to 2");
        Expect.upstreamCalls(catApi, 0, "a bad request is refused before any call");
        Expect.metric(pod.ambassador(), 1, "one refused request",
                "ambassador_requests_total", "status", "client_error");
    }

    @Test
    void aPostIsSentOnceEvenWhenItFails() {
        catApi.enqueue(status(503));
        catApi.enqueue(json("{\"message\":\"SUCCESS\"}"));

        var answer = pod.ambassador().post("/v1/favourites", "{\"image_id\":\"tabby\"}");

        Expect.status(answer, 503, "a POST without Idempotency-Key answered 503 (the upstream's answer, relayed)");
        Expect.upstreamCalls(catApi, 1, "a POST without Idempotency-Key is not safe to repeat");
    }

    @Test
    void aPostWithAnIdempotencyKeyIsRetried() throws InterruptedException {
        catApi.enqueue(status(503));
        catApi.enqueue(json("{\"message\":\"SUCCESS\"}"));

        var answer = pod.ambassador().post("/v1/favourites", "{\"image_id\":\"tabby\"}", "Idempotency-Key", "fav-1");

        Expect.status(answer, 200, "a POST carrying Idempotency-Key: fav-1, answered 503, then SUCCESS");
        Expect.upstreamCalls(catApi, 2, "the key makes the POST safe to repeat: the first and one retry");
        catApi.takeRequest();
        assertThat(catApi.takeRequest().getHeaders().get("Idempotency-Key")).as("the retry's Idempotency-Key")
                .isEqualTo("fav-1");
    }

    @Test
    void aRetryAfterIsHonouredBeforeTheNextAttempt() {
        catApi.enqueue(statusWithRetryAfter(429, "1"));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 200, "a 429 carrying Retry-After: 1, then a cat");
        assertThat(answer.took()).withFailMessage("expected the retry to wait the full Retry-After (1 s); the answer "
                + "came after %d ms", answer.took().toMillis()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        Expect.metric(pod.ambassador(), 1, "one 429", "ambassador_upstream_attempts_total", "outcome", "rate_limited");
    }

    @Test
    void aRetryAfterBeyondTheCapIsPassedToTheCallerInsteadOfWaited() {
        catApi.enqueue(statusWithRetryAfter(429, "60"));

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 503, "a 429 carrying Retry-After: 60, over RETRY_AFTER_MAX_MS (3 s)");
        assertThat(answer.header("Retry-After")).as("the Retry-After passed on to the caller").isEqualTo("60");
        assertThat(answer.took()).withFailMessage("a wait over the cap is passed on, not waited: expected the 503 in "
                + "under 3 s; it came after %d ms", answer.took().toMillis()).isLessThan(Duration.ofSeconds(3));
        Expect.upstreamCalls(catApi, 1, "no retry when the upstream asks for a longer wait than the cap");
    }
}
