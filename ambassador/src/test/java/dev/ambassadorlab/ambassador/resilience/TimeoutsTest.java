package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.statusWithRetryAfter;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attempt timeout cuts a slow attempt and retries; the deadline bounds the whole request. The upstream's delay
 * (3 s) is many times the timeouts under test, so the outcome does not depend on a fast machine.
 */
class TimeoutsTest {
    private static final long UPSTREAM_DELAY_MS = 3_000;
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_BASE_DELAY_MS", "10", "BREAKER_FAILURE_THRESHOLD", "100");
    private final MockWebServer catApi = pod.catApi();

    private static MockResponse slow(MockResponse response) {
        return new MockResponse.Builder(response).headersDelay(UPSTREAM_DELAY_MS, TimeUnit.MILLISECONDS).build();
    }

    @Test
    void aSlowAttemptIsCutAtTheAttemptTimeoutAndRetried() {
        pod.start("ATTEMPT_TIMEOUT_MS", "200", "RETRY_BASE_DELAY_MS", "10");
        catApi.enqueue(slow(searchOn(catApi, "tabby")));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        // The time first: an attempt that is never cut gets the slow search's cat, then the download meets the next
        // search answer, and "not_an_image" would be the first thing a learner of timeouts reads.
        assertThat(answer.took()).withFailMessage("the first search takes 3 s, past ATTEMPT_TIMEOUT_MS (200 ms): "
                + "expected its attempt cut there and retried, so an answer well before 3 s; it took %d ms",
                answer.took().toMillis()).isLessThan(Duration.ofMillis(UPSTREAM_DELAY_MS));
        assertThat(answer.status()).withFailMessage("the first search takes 3 s, past ATTEMPT_TIMEOUT_MS (200 ms); "
                + "expected it cut and retried, and the retry to bring a 200; got %s", answer.summary()).isEqualTo(200);
        double timedOut = pod.ambassador().metric("ambassador_upstream_attempts_total", "outcome", "timeout");
        assertThat(timedOut).withFailMessage("one attempt cut: expected ambassador_upstream_attempts_total"
                + "{outcome=\"timeout\"} at 1; it is %.0f", timedOut).isEqualTo(1.0);
    }

    @Test
    void whenEveryAttemptTimesOutTheCallerGetsA504NamingTheAttemptTimeout() {
        pod.start("ATTEMPT_TIMEOUT_MS", "200", "RETRY_BASE_DELAY_MS", "10",
                "BREAKER_FAILURE_THRESHOLD", "100");
        for (int i = 0; i < 3; i++) catApi.enqueue(slow(searchOn(catApi, "tabby")));

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).withFailMessage("every search takes 3 s, past ATTEMPT_TIMEOUT_MS (200 ms): "
                + "expected a 504 \"upstream_timeout\" after 3 cut attempts; got %s", answer.summary()).isEqualTo(504);
        assertThat(answer.body()).as("the 504's body").contains("\"error\":\"upstream_timeout\"",
                "attempt timeout of 200 ms (3 attempts)");
        assertThat(answer.took()).withFailMessage("3 attempts of 200 ms each: expected the 504 after 600 ms to 3 s; it "
                + "took %d ms", answer.took().toMillis())
                .isBetween(Duration.ofMillis(600), Duration.ofMillis(UPSTREAM_DELAY_MS));
        double timedOut = pod.ambassador().metric("ambassador_upstream_attempts_total", "outcome", "timeout");
        assertThat(timedOut).withFailMessage("3 attempts cut: expected ambassador_upstream_attempts_total"
                + "{outcome=\"timeout\"} at 3; it is %.0f", timedOut).isEqualTo(3.0);
        double timeouts = pod.ambassador().metric("ambassador_requests_total", "status", "timeout");
        assertThat(timeouts).withFailMessage("one request timed out: expected ambassador_requests_total"
                + "{status=\"timeout\"} at 1; it is %.0f", timeouts).isEqualTo(1.0);
    }

    @Test
    void theDeadlineEndsTheRequestEvenWhileAnAttemptIsStillWaiting() {
        pod.start("ATTEMPT_TIMEOUT_MS", "1000", "REQUEST_DEADLINE_MS", "1500",
                "RETRY_BASE_DELAY_MS", "10", "BREAKER_FAILURE_THRESHOLD", "100");
        for (int i = 0; i < 3; i++) catApi.enqueue(slow(searchOn(catApi, "tabby")));

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).withFailMessage("attempts of up to 1 s, a REQUEST_DEADLINE_MS of 1.5 s: expected a "
                + "504 \"deadline_exceeded\" during the second attempt; got %s", answer.summary()).isEqualTo(504);
        assertThat(answer.body()).as("the 504's body").contains("\"error\":\"deadline_exceeded\"",
                "deadline of 1500 ms passed during The Cat API's search");
        assertThat(answer.took()).withFailMessage("expected the 504 when the 1.5 s deadline passes, between 1.4 s and "
                + "3 s; it took %d ms", answer.took().toMillis())
                .isBetween(Duration.ofMillis(1400), Duration.ofMillis(UPSTREAM_DELAY_MS));
        assertThat(catApi.getRequestCount()).as("the second attempt was cut by the deadline").isEqualTo(2);
    }

    @Test
    void whenTheDeadlineCutsTheLastAttemptTheCallerHearsItWasTheDeadline() {
        pod.start("ATTEMPT_TIMEOUT_MS", "1000", "REQUEST_DEADLINE_MS", "1500", "RETRY_MAX_RETRIES", "1",
                "BREAKER_FAILURE_THRESHOLD", "100");
        for (int i = 0; i < 2; i++) catApi.enqueue(slow(searchOn(catApi, "tabby")));

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).withFailMessage("attempts of up to 1 s, a REQUEST_DEADLINE_MS of 1.5 s, one retry: "
                + "the retry has 0.5 s left and the deadline cuts it; expected a 504 \"deadline_exceeded\"; got %s",
                answer.summary()).isEqualTo(504);
        assertThat(answer.body()).as("the 504's body").contains("\"error\":\"deadline_exceeded\"",
                "deadline of 1500 ms passed during The Cat API's search", "(2 attempts)");
        assertThat(answer.took()).withFailMessage("expected the 504 when the 1.5 s deadline passes, between 1.4 s and "
                + "3 s; it took %d ms", answer.took().toMillis())
                .isBetween(Duration.ofMillis(1400), Duration.ofMillis(UPSTREAM_DELAY_MS));
    }

    @Test
    void aWaitThatWouldReachTheDeadlineEndsTheRequestAtOnce() {
        // One retry allowed: the wait before the last retry is held against the deadline too.
        pod.start("REQUEST_DEADLINE_MS", "3000", "ATTEMPT_TIMEOUT_MS", "1000", "RETRY_AFTER_MAX_MS", "5000",
                "RETRY_MAX_RETRIES", "1");
        catApi.enqueue(statusWithRetryAfter(503, "4"));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).withFailMessage("the search answered 503 with Retry-After: 4, a wait past the 3 s "
                + "REQUEST_DEADLINE_MS: expected a 504 \"deadline_exceeded\" without the wait; got %s",
                answer.summary()).isEqualTo(504);
        assertThat(answer.body()).as("the 504's body").contains("\"error\":\"deadline_exceeded\"",
                "would pass during the 4000 ms wait");
        assertThat(answer.took()).withFailMessage("no time is left for a retry after the 4 s wait, so expected the "
                + "504 at once, in under 2 s, not at the 3 s deadline; it took %d ms", answer.took().toMillis())
                .isLessThan(Duration.ofSeconds(2));
        assertThat(catApi.getRequestCount()).as("searches sent: the first only").isEqualTo(1);
    }

    @Test
    void aWaitThatLeavesTimeForTheRetryIsWaited() {
        pod.start("REQUEST_DEADLINE_MS", "3000", "ATTEMPT_TIMEOUT_MS", "1000", "RETRY_AFTER_MAX_MS", "5000");
        catApi.enqueue(statusWithRetryAfter(503, "1"));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).withFailMessage("the search answered 503 with Retry-After: 1, and the 3 s "
                + "REQUEST_DEADLINE_MS leaves 2 s after that wait: expected the retry to bring a 200; got %s",
                answer.summary()).isEqualTo(200);
        assertThat(answer.took()).withFailMessage("expected the answer after the 1 s wait; it took %d ms",
                answer.took().toMillis()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void withNoRetryLeftTheUpstreamsOwnAnswerIsPassedOnNotTheDeadline() {
        pod.start("REQUEST_DEADLINE_MS", "3000", "RETRY_MAX_RETRIES", "0", "RETRY_AFTER_MAX_MS", "5000");
        catApi.enqueue(statusWithRetryAfter(503, "4"));

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).withFailMessage("with RETRY_MAX_RETRIES=0 no wait follows the 503, so the deadline "
                + "is not in question: expected the upstream's 503 passed on as \"upstream_unavailable\"; got %s",
                answer.summary()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).as("the upstream's Retry-After, passed on").isEqualTo("4");
    }
}
