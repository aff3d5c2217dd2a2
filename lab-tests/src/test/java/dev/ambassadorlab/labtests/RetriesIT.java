package dev.ambassadorlab.labtests;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.Metrics;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Exercise 02: which failures are retried, how often, with what waits, and which requests never are. */
@Tag("exercise-02")
class RetriesIT extends ChaosTest {
    private static final String SEARCH = "/v1/images/search";

    /** A search answer that the mock gives once, in turn, before falling back to its normal mapping. */
    private static MappingBuilder searchOnce(String scenarioState, String nextState, int status) {
        return get(urlPathEqualTo(SEARCH)).atPriority(1).inScenario("flaky search")
                .whenScenarioStateIs(scenarioState).willSetStateTo(nextState)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"status " + status + "\"}"));
    }

    private List<LoggedRequest> searchesSeen() {
        return pod.catApiMock().find(getRequestedFor(urlPathEqualTo(SEARCH)));
    }

    @Test
    void two_503s_then_success_give_the_caller_a_200_after_exactly_two_retries() {
        // Given the mock answers 503, 503, then its normal search answer
        var before = pod.metrics();
        pod.catApiMock().register(searchOnce(STARTED, "second", 503));
        pod.catApiMock().register(searchOnce("second", "healed", 503));

        // When the app asks for a cat
        var answer = pod.app("/images/latest");

        // Then one 200 reaches the caller, the ambassador retried twice and the upstream saw three searches
        double retries = pod.metrics().increaseSince(before, "ambassador_retries_total");
        assertThat(retries).withFailMessage("after two 503s expected 2 retries; /metrics shows %.0f; "
                + "does your RetryPolicy handle 5xx results and allow `retries` retries?", retries).isEqualTo(2);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(searchesSeen()).as("searches in the mock's journal").hasSize(3);
        assertThat(answer.took()).as("two retries with backoff from 100 ms take well under 2 s; %s", answer.body()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void retries_wait_a_little_longer_each_time() {
        pod.catApiMock().register(searchOnce(STARTED, "second", 503));
        pod.catApiMock().register(searchOnce("second", "healed", 503));

        pod.ambassador("/images/latest");

        List<LoggedRequest> searches = searchesSeen();
        assertThat(searches).withFailMessage("after two 503s expected 3 searches; the mock saw %d; "
                + "does your RetryPolicy retry 5xx answers?", searches.size()).hasSize(3);
        long firstWait = searches.get(1).getLoggedDate().getTime() - searches.get(0).getLoggedDate().getTime();
        long secondWait = searches.get(2).getLoggedDate().getTime() - searches.get(1).getLoggedDate().getTime();
        // Backoff from 100 ms, doubling, jittered into the upper half: at least 50 ms, then at least 100 ms
        assertThat(firstWait >= 40 && secondWait >= 90).withFailMessage("expected retries to wait (backoff from "
                + "100 ms, doubling); they came after %d ms and %d ms: does your RetryPolicy use withDelayFn with "
                + "backoff.before(...)?", firstWait, secondWait).isTrue();
    }

    @Test
    void a_404_from_the_upstream_is_not_retried_and_becomes_a_502_with_a_reason() {
        var before = pod.metrics();
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(aResponse().withStatus(404)));

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(searchesSeen()).withFailMessage("a 404 would only fail again, so expected 1 search; the mock saw %d; "
                + "does your RetryPolicy retry only 429 and 5xx answers?", searchesSeen().size()).hasSize(1);
        assertThat(answer.status() == 502 && "upstream_rejected".equals(answer.error()))
                .withFailMessage("a 404 from the search should reach the caller as 502 \"upstream_rejected\"; got %s",
                        answer.summary())
                .isTrue();
        double retries = pod.metrics().increaseSince(before, "ambassador_retries_total");
        assertThat(retries).withFailMessage("a 404 is not retried, so expected ambassador_retries_total to stay put; "
                + "it rose by %.0f", retries).isZero();
    }

    @Test
    void connections_reset_by_the_peer_are_retried_and_then_a_503() throws Exception {
        // Given every connection to the Cat API is reset as soon as the request is sent
        var before = pod.metrics();
        pod.catApiProxy().toxics().resetPeer("reset", ToxicDirection.UPSTREAM, 0);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        // Then all three attempts failed, the caller got a 503, and no request ever reached the mock
        assertThreeAttemptsThenA503(before, answer, "with every connection reset");
    }

    @Test
    void connections_that_go_silent_and_close_are_retried_and_then_a_503() throws Exception {
        // Given every connection swallows the request and is closed after 300 ms (well inside the 1.5 s attempt timeout)
        var before = pod.metrics();
        pod.catApiProxy().toxics().timeout("silence", ToxicDirection.UPSTREAM, 300);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThreeAttemptsThenA503(before, answer, "with connections closing unanswered");
    }

    /** Broken connections: three attempts (1 + 2 retries), a 503 for the caller, and nothing reached the mock. */
    private void assertThreeAttemptsThenA503(Metrics before, Answer answer, String fault) {
        double attempts = pod.metrics().increaseSince(before, "ambassador_upstream_attempts_total");
        assertThat(attempts).withFailMessage("%s expected 3 attempts (1 + 2 retries); /metrics shows %.0f; does your "
                + "RetryPolicy handle IOException?", fault, attempts).isEqualTo(3);
        assertThat(answer.status() == 503 && "upstream_unavailable".equals(answer.error()))
                .withFailMessage("after 3 failed attempts expected a 503 \"upstream_unavailable\"; got %s: %s",
                        answer.summary(), answer.body())
                .isTrue();
        assertThat(pod.catApiMock().find(anyRequestedFor(anyUrl())))
                .as("the mock's journal: no request gets through the broken connections").isEmpty();
    }

    @Test
    void a_post_is_sent_once_but_a_post_with_an_idempotency_key_is_retried() {
        pod.catApiMock().register(post(urlPathEqualTo("/v1/favourites")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));

        var once = pod.send(HttpRequest.newBuilder(URI.create(pod.ambassadorUrl("/v1/favourites")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"image_id\":\"tabby\"}")));
        int plainPosts = pod.catApiMock().find(postRequestedFor(urlPathEqualTo("/v1/favourites"))).size();
        assertThat(plainPosts).withFailMessage("a POST is not safe to repeat, so expected it sent once; the mock saw %d; "
                + "does retriesFor() give unsafe requests no retries?", plainPosts).isEqualTo(1);
        assertThat(once.status()).as("the upstream's own answer is relayed").isEqualTo(503);

        pod.send(HttpRequest.newBuilder(URI.create(pod.ambassadorUrl("/v1/favourites")))
                .header("Content-Type", "application/json").header("Idempotency-Key", "fav-tabby-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"image_id\":\"tabby\"}")));
        int allPosts = pod.catApiMock().find(postRequestedFor(urlPathEqualTo("/v1/favourites"))).size();
        assertThat(allPosts - plainPosts).withFailMessage("a POST with an Idempotency-Key is safe to repeat, so expected "
                + "3 attempts; the mock saw %d", allPosts - plainPosts).isEqualTo(3);
    }
}
