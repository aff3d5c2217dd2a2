package dev.ambassadorlab.labtests;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Which failures the ambassador retries, how many times, and how long it waits, counted in /metrics and the journal. */
class RetriesIT extends ChaosTest {
    private static final String SEARCH = "/v1/images/search";

    /** A search answer that the mock gives once, in turn, before falling back to its normal mapping. */
    private static MappingBuilder searchOnce(String scenarioState, String nextState, int status) {
        return get(urlPathEqualTo(SEARCH)).atPriority(1).inScenario("flaky search")
                .whenScenarioStateIs(scenarioState).willSetStateTo(nextState)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"status " + status + "\"}"));
    }

    private int searchesSeen() {
        return pod.catApiMock().find(getRequestedFor(urlPathEqualTo(SEARCH))).size();
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
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_retries_total")).as("retries").isEqualTo(2);
        assertThat(after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "server_error")).isEqualTo(2);
        assertThat(searchesSeen()).as("searches in the mock's journal").isEqualTo(3);
        assertThat(answer.took()).as("the seed's fixed 3 s sleeps needed over 6 s").isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void a_429_with_Retry_After_is_waited_out_and_then_succeeds() {
        var before = pod.metrics();
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).inScenario("rate limited")
                .whenScenarioStateIs(STARTED).willSetStateTo("allowed")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));

        var answer = pod.ambassador("/images/latest");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.took()).as("waited the upstream's Retry-After of 2 s").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_retries_total")).isEqualTo(1);
        assertThat(after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "rate_limited")).isEqualTo(1);
        assertThat(searchesSeen()).isEqualTo(2);
    }

    @Test
    void a_404_from_the_upstream_is_not_retried_and_becomes_a_502_with_a_reason() {
        var before = pod.metrics();
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(aResponse().withStatus(404)));

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.error()).isEqualTo("upstream_rejected");
        assertThat(answer.body()).contains("answered 404");
        assertThat(pod.metrics().increaseSince(before, "ambassador_retries_total")).isZero();
        assertThat(searchesSeen()).isEqualTo(1);
    }

    @Test
    void connections_reset_by_the_peer_are_retried_and_then_a_503() throws Exception {
        // Given every connection to the Cat API is reset as soon as the request is sent
        var before = pod.metrics();
        pod.catApiProxy().toxics().resetPeer("reset", ToxicDirection.UPSTREAM, 0);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        // Then all three attempts failed, the caller got a 503, and no request ever reached the mock
        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        assertThat(answer.error()).isEqualTo("upstream_unavailable");
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_retries_total")).isEqualTo(2);
        assertThat(after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "io_error")).isEqualTo(3);
        assertThat(pod.catApiMock().find(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void connections_that_go_silent_and_close_are_retried_and_then_a_503() throws Exception {
        // Given every connection swallows the request and is closed after 300 ms (well inside the 1.5 s attempt timeout)
        var before = pod.metrics();
        pod.catApiProxy().toxics().timeout("silence", ToxicDirection.UPSTREAM, 300);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        assertThat(answer.error()).isEqualTo("upstream_unavailable");
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_retries_total")).isEqualTo(2);
        assertThat(after.increaseSince(before, "ambassador_upstream_attempts_total")).isEqualTo(3);
        assertThat(pod.catApiMock().find(anyRequestedFor(anyUrl()))).isEmpty();
    }
}
