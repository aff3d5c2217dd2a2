package dev.ambassadorlab.labtests;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Exercise 05: /metrics tells the story of each request: attempts by outcome, latency, breaker state. */
@Tag("exercise-05")
class MetricsIT extends ChaosTest {
    private static final String UPSTREAM = "toxiproxy:8666";

    @Test
    void attempts_are_counted_by_upstream_and_outcome() {
        var before = pod.metrics();
        pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1).inScenario("one failure")
                .whenScenarioStateIs(STARTED).willSetStateTo("fine").willReturn(aResponse().withStatus(503)));

        var answer = pod.ambassador("/images/latest");
        assertThat(answer.status()).withFailMessage("one 503, then a retry that succeeds: expected a 200; got %s",
                answer.summary()).isEqualTo(200);

        var after = pod.metrics();
        double failed = after.increaseSince(before, "ambassador_upstream_attempts_total", "upstream", UPSTREAM,
                "outcome", "server_error");
        double succeeded = after.increaseSince(before, "ambassador_upstream_attempts_total", "upstream", UPSTREAM,
                "outcome", "success");
        assertThat(failed == 1 && succeeded == 2).withFailMessage("after one 503, a good search and a download, "
                + "expected ambassador_upstream_attempts_total{upstream=\"%s\"} to grow by 1 for outcome "
                + "\"server_error\" and 2 for \"success\"; /metrics shows %.0f and %.0f; does attempted() count "
                + "into a Counter labelled upstream and outcome?", UPSTREAM, failed, succeeded).isTrue();
    }

    @Test
    void every_request_lands_in_the_latency_histogram() {
        var before = pod.metrics();

        pod.ambassador("/images/latest");

        var after = pod.metrics();
        double count = after.increaseSince(before, "ambassador_request_duration_seconds_count");
        double everything = after.increaseSince(before, "ambassador_request_duration_seconds_bucket", "le", "+Inf");
        double slowest = after.increaseSince(before, "ambassador_request_duration_seconds_bucket", "le", "30.0");
        assertThat(count == 1 && everything == 1 && slowest == 1).withFailMessage("after one request expected "
                + "ambassador_request_duration_seconds_count and its buckets up to le=\"30.0\" and le=\"+Inf\" to "
                + "grow by 1; /metrics shows %.0f, %.0f and %.0f; does requestFinished() observe the seconds in a "
                + "Histogram with buckets up to 30 s?", count, slowest, everything).isTrue();
        double seconds = after.increaseSince(before, "ambassador_request_duration_seconds_sum");
        assertThat(seconds).withFailMessage("after one request expected ambassador_request_duration_seconds_sum to "
                + "grow by its duration, above 0; it grew by %s", seconds).isPositive();
    }

    @Test
    void each_upstreams_breaker_state_is_a_gauge() throws Exception {
        pod.ambassador("/images/latest");
        var closed = pod.metrics();
        assertThat(closed.has("ambassador_circuit_breaker_state", "upstream", UPSTREAM))
                .withFailMessage("expected /metrics to show ambassador_circuit_breaker_state{upstream=\"%s\"}; it does "
                        + "not; does watchBreakers() register a GaugeWithCallback?", UPSTREAM).isTrue();
        assertThat(closed.value("ambassador_circuit_breaker_state", "upstream", UPSTREAM)).as("0 = closed").isZero();

        pod.catApiProxy().disable();
        for (int i = 0; i < 2; i++) pod.ambassador("/images/latest", NO_STALE);

        double state = pod.metrics().value("ambassador_circuit_breaker_state", "upstream", UPSTREAM);
        assertThat(state).withFailMessage("with the upstream down and the breaker open, expected "
                + "ambassador_circuit_breaker_state{upstream=\"%s\"} 2 (open); /metrics shows %.0f", UPSTREAM, state)
                .isEqualTo(2);
    }
}
