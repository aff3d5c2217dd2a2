package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Closed, then open (failing fast, the upstream untouched), then half-open, then closed again once it recovers. */
class CircuitBreakerTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_MAX_RETRIES", "0",
            "BREAKER_FAILURE_THRESHOLD", "3", "BREAKER_OPEN_MS", "500", "FALLBACK_ENABLED", "false");
    private final MockWebServer catApi = pod.catApi();
    private volatile boolean upstreamHealthy;

    @BeforeEach
    void failUntilHealed() {
        catApi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!upstreamHealthy) return status(503);
                return request.getUrl().encodedPath().startsWith("/v1") ? searchOn(catApi, "tabby") : jpeg();
            }
        });
    }

    @Test
    void opensAfterTheThresholdFailsFastWhileOpenAndClosesAfterASuccessfulProbe() {
        String upstream = "localhost:" + catApi.getPort();
        // Given an upstream that fails: three failures in a row open the breaker
        for (int i = 0; i < 3; i++) assertThat(pod.ambassador().get("/images/latest").status()).isEqualTo(503);
        assertThat(pod.ambassador().metric("ambassador_circuit_breaker_state", "upstream", upstream)).as("open").isEqualTo(2.0);

        // When the breaker is open, calls fail fast and the upstream sees nothing
        var shortCircuited = pod.ambassador().get("/images/latest");
        assertThat(shortCircuited.status()).isEqualTo(503);
        assertThat(shortCircuited.body()).contains("\"error\":\"circuit_open\"");
        assertThat(shortCircuited.header("Retry-After")).isNotNull();
        assertThat(shortCircuited.took()).isLessThan(Duration.ofMillis(400));
        assertThat(catApi.getRequestCount()).as("no upstream traffic while open").isEqualTo(3);
        assertThat(pod.ambassador().metric("ambassador_circuit_breaker_rejections_total", "upstream", upstream)).isEqualTo(1.0);

        // Then, once the upstream heals, the first call after the open period probes it and closes the breaker
        upstreamHealthy = true;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> pod.ambassador().get("/images/latest").status() == 200);
        assertThat(pod.ambassador().metric("ambassador_circuit_breaker_state", "upstream", upstream)).as("closed").isZero();
        assertThat(pod.ambassador().metric("ambassador_circuit_breaker_transitions_total", "state", "open")).isEqualTo(1.0);
        assertThat(pod.ambassador().metric("ambassador_circuit_breaker_transitions_total", "state", "half-open")).isEqualTo(1.0);
        assertThat(pod.ambassador().metric("ambassador_circuit_breaker_transitions_total", "state", "closed")).isEqualTo(1.0);
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() {
        for (int i = 0; i < 3; i++) pod.ambassador().get("/images/latest");

        // Each poll is a caller; the first one after the open period is the probe, and it fails
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            pod.ambassador().get("/images/latest");
            return catApi.getRequestCount() > 3;
        });

        assertThat(catApi.getRequestCount()).as("exactly one probe reached the upstream").isEqualTo(4);
        assertThat(pod.ambassador().metric("ambassador_circuit_breaker_transitions_total", "state", "open")).isEqualTo(2.0);
    }
}
