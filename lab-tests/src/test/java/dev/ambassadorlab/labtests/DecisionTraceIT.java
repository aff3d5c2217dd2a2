package dev.ambassadorlab.labtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ambassadorlab.labtests.pod.Answer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the ambassador decided for one request, as its trace on the admin port tells it, in the whole pod. */
class DecisionTraceIT extends ChaosTest {
    @Test
    void two_503s_then_a_cat_show_three_searches_two_backoff_waits_the_download_and_success() {
        pod.catApiMock().register(searchOnce(STARTED, "second"));
        pod.catApiMock().register(searchOnce("second", "healed"));

        Answer answer = pod.ambassador("/images/latest", "X-Request-Id", "trace-503-503-cat");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode trace = trace("trace-503-503-cat");
        assertThat(trace.get("ended").asText()).as("how it ended, in %s", trace).isEqualTo("success");
        assertThat(attempts(trace)).as("its attempts, in %s", trace)
                .containsExactly("search#1=503", "search#2=503", "search#3=200", "image#1=200");
        assertThat(trace.get("waits")).as("its waits, in %s", trace).hasSize(2)
                .allSatisfy(wait -> assertThat(wait.get("reason").asText()).isEqualTo("backoff"));
    }

    @Test
    void with_the_upstream_down_requests_end_breaker_open_with_no_attempt_once_the_breaker_opens() throws IOException {
        pod.catApiProxy().disable();
        List<String> endings = new ArrayList<>();
        // BREAKER_FAILURE_THRESHOLD is 5 and each request tries 3 times: the third request at the latest meets it open.
        for (int i = 0; i < 4; i++) {
            pod.ambassador("/images/latest", "X-Request-Id", "trace-down-" + i, NO_STALE[0], NO_STALE[1]);
            endings.add(trace("trace-down-" + i).get("ended").asText());
        }

        assertThat(endings).as("how the requests ended, one after the other").startsWith("retries_exhausted")
                .endsWith("breaker_open");
        JsonNode last = trace("trace-down-3");
        assertThat(last.get("attempts")).as("a request the open breaker stopped made no attempt: %s", last).isEmpty();
        assertThat(last.get("status").asInt()).isEqualTo(503);
    }

    @Test
    void a_post_without_idempotency_key_answered_503_ends_not_retryable_after_one_attempt() {
        pod.catApiMock().register(post(urlPathEqualTo("/v1/favourites")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));

        Answer answer = pod.send(HttpRequest.newBuilder(URI.create(pod.ambassadorUrl("/v1/favourites")))
                .header("Content-Type", "application/json").header("X-Request-Id", "trace-post-503")
                .POST(HttpRequest.BodyPublishers.ofString("{\"image_id\":\"tabby\"}")));

        assertThat(answer.status()).as("the upstream's 503, relayed").isEqualTo(503);
        JsonNode trace = trace("trace-post-503");
        assertThat(trace.get("ended").asText()).as("how it ended, in %s", trace).isEqualTo("not_retryable");
        assertThat(attempts(trace)).as("its attempts, in %s", trace).containsExactly("passthrough#1=503");
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder searchOnce(String state, String next) {
        return get(urlPathEqualTo("/v1/images/search")).atPriority(1).inScenario("trace")
                .whenScenarioStateIs(state).willSetStateTo(next).willReturn(aResponse().withStatus(503));
    }

    /**
     * The trace of the request with this id, from the latest ones on the admin port; the ambassador keeps it once the
     * answer has gone out, so it may come a moment after the answer.
     */
    private JsonNode trace(String requestId) {
        Answer latest = pod.admin("/debug/requests?limit=1");
        assertThat(latest.status()).as("GET /debug/requests: %s", latest.body()).isEqualTo(200);
        return await("the trace of request " + requestId + " on /debug/requests").atMost(Duration.ofSeconds(5))
                .until(() -> pod.trace(requestId), Optional::isPresent).get();
    }

    /** The attempts as "call#number=status", or the outcome when no answer came. */
    private static List<String> attempts(JsonNode trace) {
        List<String> attempts = new ArrayList<>();
        for (JsonNode attempt : trace.get("attempts")) {
            String result = attempt.has("status") ? attempt.get("status").asText() : attempt.get("outcome").asText();
            attempts.add(attempt.get("call").asText() + "#" + attempt.get("number").asInt() + "=" + result);
        }
        return attempts;
    }
}
