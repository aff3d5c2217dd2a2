package dev.ambassadorlab.labtests;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Exercise 04: the breaker opens on an outage, fails fast while open, and closes after a good probe. */
@Tag("exercise-04")
class CircuitBreakerIT extends ChaosTest {
    private static final String UPSTREAM = "toxiproxy:8666";

    @Test
    void with_the_upstream_down_the_breaker_opens_fails_fast_without_traffic_and_closes_after_healing() throws Exception {
        var before = pod.metrics();

        // Fault: the proxy is down; two callers make 3 + 2 failed attempts and the fifth opens the breaker
        pod.catApiProxy().disable();
        assertThat(pod.ambassador("/images/latest", NO_STALE).error()).isEqualTo("upstream_unavailable");
        var second = pod.ambassador("/images/latest", NO_STALE);
        assertThat(second.error()).withFailMessage("after 5 failed attempts (BREAKER_FAILURE_THRESHOLD) expected the "
                + "circuit breaker to open and answer \"circuit_open\"; got %s; does your breaker count IOException "
                + "as a failure and open after failureThreshold failures?", second.summary()).isEqualTo("circuit_open");
        var open = pod.metrics();
        assertThat(open.value("ambassador_circuit_breaker_state", "upstream", UPSTREAM)).as("2 = open").isEqualTo(2);
        assertThat(open.increaseSince(before, "ambassador_upstream_attempts_total")).as("failed attempts").isEqualTo(5);
        assertThat(open.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "success")).isZero();

        // The upstream comes back, but while the breaker is open calls fail fast and nothing reaches it
        pod.catApiProxy().enable();
        var shortCircuited = pod.ambassador("/images/latest", NO_STALE);
        assertThat(shortCircuited.status()).isEqualTo(503);
        assertThat(shortCircuited.error()).isEqualTo("circuit_open");
        assertThat(shortCircuited.header("Retry-After")).isNotNull();
        assertThat(shortCircuited.took()).isLessThan(Duration.ofMillis(500));
        assertThat(pod.catApiMock().find(anyRequestedFor(anyUrl()))).as("the mock's journal").isEmpty();

        // Heal: after the open period one probe goes through (half-open), succeeds, and the breaker closes
        await("a successful probe after the breaker's open period").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> pod.ambassador("/images/latest", NO_STALE).status() == 200);
        var healed = pod.metrics();
        assertThat(healed.value("ambassador_circuit_breaker_state", "upstream", UPSTREAM)).as("0 = closed").isZero();
        assertThat(healed.increaseSince(before, "ambassador_circuit_breaker_transitions_total", "state", "open")).isEqualTo(1);
        assertThat(healed.increaseSince(before, "ambassador_circuit_breaker_transitions_total", "state", "half-open"))
                .withFailMessage("expected the breaker to let one probe through (half-open) after BREAKER_OPEN_MS; "
                        + "does your breaker set withDelay(openDuration)?").isEqualTo(1);
        assertThat(healed.increaseSince(before, "ambassador_circuit_breaker_transitions_total", "state", "closed")).isEqualTo(1);
        assertThat(healed.increaseSince(before, "ambassador_circuit_breaker_rejections_total")).isGreaterThanOrEqualTo(2);
    }
}
