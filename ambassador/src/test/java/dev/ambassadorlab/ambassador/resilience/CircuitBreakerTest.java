package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.Expect;
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

/**
 * Closed, then open (failing fast, the upstream untouched), then half-open, then closed again once it recovers. A
 * threshold of 3 and an open time of 0.5 s keep it quick; exercise 04's README says so next to the lab's defaults.
 */
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
        for (int i = 0; i < 3; i++) Expect.status(pod.ambassador().get("/images/latest"), 503, "a failing upstream");
        Expect.metric(pod.ambassador(), 2,
                "2 = open, after 3 failures in a row: BREAKER_FAILURE_THRESHOLD is 3 in this test, 5 by default",
                "ambassador_circuit_breaker_state", "upstream", upstream);

        // When the breaker is open, calls fail fast and the upstream sees nothing
        var shortCircuited = pod.ambassador().get("/images/latest");
        Expect.status(shortCircuited, 503, "the breaker open after 3 failures");
        assertThat(shortCircuited.body()).as("the fast 503's body").contains("\"error\":\"circuit_open\"");
        assertThat(shortCircuited.header("Retry-After")).as("the fast 503's Retry-After").isNotNull();
        assertThat(shortCircuited.took()).withFailMessage("an open breaker should fail fast, in under 400 ms; it took "
                + "%d ms", shortCircuited.took().toMillis()).isLessThan(Duration.ofMillis(400));
        Expect.upstreamCalls(catApi, 3, "the 3 failures only: no upstream traffic while the breaker is open");
        Expect.metric(pod.ambassador(), 1, "one call refused by the open breaker",
                "ambassador_circuit_breaker_rejections_total", "upstream", upstream);

        // Then, once the upstream heals, the first call after the open period probes it and closes the breaker
        upstreamHealthy = true;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> pod.ambassador().get("/images/latest").status() == 200);
        Expect.metric(pod.ambassador(), 0, "0 = closed, after a successful probe",
                "ambassador_circuit_breaker_state", "upstream", upstream);
        Expect.metric(pod.ambassador(), 1, "opened once", "ambassador_circuit_breaker_transitions_total",
                "state", "open");
        Expect.metric(pod.ambassador(), 1, "one probe after BREAKER_OPEN_MS",
                "ambassador_circuit_breaker_transitions_total", "state", "half-open");
        Expect.metric(pod.ambassador(), 1, "closed by the successful probe",
                "ambassador_circuit_breaker_transitions_total", "state", "closed");
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() {
        for (int i = 0; i < 3; i++) pod.ambassador().get("/images/latest");

        // Each poll is a caller; the first one after the open period is the probe, and it fails
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            pod.ambassador().get("/images/latest");
            return catApi.getRequestCount() > 3;
        });

        Expect.upstreamCalls(catApi, 4, "3 failures, then exactly one probe after the open period");
        Expect.metric(pod.ambassador(), 2, "opened by the 3 failures, then again by the failed probe",
                "ambassador_circuit_breaker_transitions_total", "state", "open");
    }
}
