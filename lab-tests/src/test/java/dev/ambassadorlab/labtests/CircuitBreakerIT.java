package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.LabPod;
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
        var first = pod.ambassador("/images/latest", NO_STALE);
        assertThat(first.error()).withFailMessage("with the upstream down, expected the first caller's 3 attempts to "
                + "fail with \"upstream_unavailable\" while the breaker is still closed; got %s", first.summary())
                .isEqualTo("upstream_unavailable");
        var second = pod.ambassador("/images/latest", NO_STALE);
        assertThat(second.error()).withFailMessage("after 5 failed attempts (BREAKER_FAILURE_THRESHOLD) expected the "
                + "circuit breaker to open and answer \"circuit_open\"; got %s; does your breaker count IOException "
                + "as a failure and open after failureThreshold failures?", second.summary()).isEqualTo("circuit_open");
        var open = pod.metrics();
        assertThat(open.value("ambassador_circuit_breaker_state", "upstream", UPSTREAM)).as("2 = open").isEqualTo(2);
        assertThat(open.increaseSince(before, "ambassador_upstream_attempts_total")).as("failed attempts").isEqualTo(5);
        double successes = open.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "success");
        assertThat(successes).withFailMessage("with the upstream down, no attempt can succeed; "
                + "ambassador_upstream_attempts_total{outcome=\"success\"} rose by %.0f", successes).isZero();

        // The upstream comes back, but while the breaker is open calls fail fast and nothing reaches it
        pod.catApiProxy().enable();
        var shortCircuited = pod.ambassador("/images/latest", NO_STALE);
        assertThat(shortCircuited.status() == 503 && "circuit_open".equals(shortCircuited.error()))
                .withFailMessage("the upstream is back but the breaker is open (for BREAKER_OPEN_MS, %s here): "
                        + "expected 503 \"circuit_open\" without a call; got %s",
                        seconds(millis(LabPod.AMBASSADOR_SETTINGS, "BREAKER_OPEN_MS")), shortCircuited.summary())
                .isTrue();
        assertThat(shortCircuited.header("Retry-After")).withFailMessage("the 503 \"circuit_open\" should say when to "
                + "come back, in a Retry-After header; it has none").isNotNull();
        assertThat(shortCircuited.took()).withFailMessage("an open breaker should fail fast, in under 0.5 s; the 503 "
                + "took %d ms", shortCircuited.took().toMillis()).isLessThan(Duration.ofMillis(500));
        assertThat(pod.catApiMock().find(anyRequestedFor(anyUrl()))).as("the mock's journal").isEmpty();

        // Heal: after the open period one probe goes through (half-open), succeeds, and the breaker closes
        await("a successful probe after the breaker's open period").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> pod.ambassador("/images/latest", NO_STALE).status() == 200);
        var healed = pod.metrics();
        assertThat(healed.value("ambassador_circuit_breaker_state", "upstream", UPSTREAM)).as("0 = closed").isZero();
        double opened = healed.increaseSince(before, "ambassador_circuit_breaker_transitions_total", "state", "open");
        assertThat(opened).withFailMessage("the breaker opened once, so expected ambassador_circuit_breaker_"
                + "transitions_total{state=\"open\"} to rise by 1; it rose by %.0f", opened).isEqualTo(1);
        assertThat(healed.increaseSince(before, "ambassador_circuit_breaker_transitions_total", "state", "half-open"))
                .withFailMessage("expected the breaker to let one probe through (half-open) after BREAKER_OPEN_MS; "
                        + "does your breaker set withDelay(openDuration)?").isEqualTo(1);
        double closed = healed.increaseSince(before, "ambassador_circuit_breaker_transitions_total", "state", "closed");
        assertThat(closed).withFailMessage("the probe succeeded, so expected the breaker to close once "
                + "(ambassador_circuit_breaker_transitions_total{state=\"closed\"} up by 1); it rose by %.0f", closed)
                .isEqualTo(1);
        double rejected = healed.increaseSince(before, "ambassador_circuit_breaker_rejections_total");
        assertThat(rejected).withFailMessage("at least 2 calls met the open breaker (the second caller and the one "
                + "after healing), so expected ambassador_circuit_breaker_rejections_total to rise by 2 or more; it "
                + "rose by %.0f", rejected).isGreaterThanOrEqualTo(2);
    }
}
