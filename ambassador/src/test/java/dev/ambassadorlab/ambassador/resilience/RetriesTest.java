package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
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

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).contains("\"error\":\"upstream_unavailable\"", "answered 500 (3 attempts)");
        assertThat(catApi.getRequestCount()).isEqualTo(3);
        assertThat(pod.ambassador().metric("ambassador_retries_total")).isEqualTo(2.0);
    }

    @Test
    void aConnectionDroppedBeforeTheAnswerIsRetried() {
        catApi.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket())
                .build());
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(pod.ambassador().metric("ambassador_retries_total")).isEqualTo(1.0);
    }

    @Test
    void aClientErrorIsNotRetried() {
        catApi.enqueue(status(400));

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("\"error\":\"upstream_rejected\"", "answered 400");
        assertThat(catApi.getRequestCount()).isEqualTo(1);
        assertThat(pod.ambassador().metric("ambassador_retries_total")).isZero();
    }

    @Test
    void theCallerCanLowerTheRetriesForOneRequest() {
        for (int i = 0; i < 3; i++) catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest", "X-Ambassador-Max-Retries", "0");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(catApi.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theCallerCannotRaiseTheRetriesAboveTheConfiguredMaximum() {
        for (int i = 0; i < 10; i++) catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest", "X-Ambassador-Max-Retries", "9");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(catApi.getRequestCount()).as("1 + RETRY_MAX_RETRIES (2)").isEqualTo(3);
    }

    @Test
    void aMalformedRetryHeaderIsA400ThatSaysWhatIsAccepted() {
        var answer = pod.ambassador().get("/images/latest", "X-Ambassador-Max-Retries", "lots");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("X-Ambassador-Max-Retries must be a whole number from 0 to 2");
        assertThat(catApi.getRequestCount()).isZero();
        assertThat(pod.ambassador().metric("ambassador_requests_total", "status", "client_error")).isEqualTo(1.0);
    }

    @Test
    void aPostIsSentOnceEvenWhenItFails() {
        catApi.enqueue(status(503));
        catApi.enqueue(json("{\"message\":\"SUCCESS\"}"));

        var answer = pod.ambassador().post("/v1/favourites", "{\"image_id\":\"tabby\"}");

        assertThat(answer.status()).as("the upstream's own answer is relayed").isEqualTo(503);
        assertThat(catApi.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aPostWithAnIdempotencyKeyIsRetried() throws InterruptedException {
        catApi.enqueue(status(503));
        catApi.enqueue(json("{\"message\":\"SUCCESS\"}"));

        var answer = pod.ambassador().post("/v1/favourites", "{\"image_id\":\"tabby\"}", "Idempotency-Key", "fav-1");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(catApi.getRequestCount()).isEqualTo(2);
        catApi.takeRequest();
        assertThat(catApi.takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo("fav-1");
    }

    @Test
    void aRetryAfterIsHonouredBeforeTheNextAttempt() {
        catApi.enqueue(new MockResponse.Builder(status(429)).addHeader("Retry-After", "1").build());
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.took()).as("waited the full Retry-After").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(pod.ambassador().metric("ambassador_upstream_attempts_total", "outcome", "rate_limited")).isEqualTo(1.0);
    }

    @Test
    void aRetryAfterBeyondTheCapIsPassedToTheCallerInsteadOfWaited() {
        catApi.enqueue(new MockResponse.Builder(status(429)).addHeader("Retry-After", "60").build());

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("60");
        assertThat(answer.took()).isLessThan(Duration.ofSeconds(3));
        assertThat(catApi.getRequestCount()).isEqualTo(1);
    }
}
