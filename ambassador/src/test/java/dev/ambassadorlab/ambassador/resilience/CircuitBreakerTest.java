package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorHarness;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Closed, then open (failing fast, the upstream untouched), then half-open, then closed again once it recovers. */
class CircuitBreakerTest {
    @TempDir
    Path images;
    private final MockWebServer catApi = new MockWebServer();
    private volatile boolean upstreamHealthy;
    private AmbassadorHarness ambassador;

    @BeforeEach
    void start() throws IOException {
        catApi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!upstreamHealthy) return status(503);
                return request.getUrl().encodedPath().startsWith("/v1") ? searchOn(catApi, "tabby") : jpeg();
            }
        });
        catApi.start();
        ambassador = AmbassadorHarness.start(catApi, images, "RETRY_MAX_RETRIES", "0",
                "BREAKER_FAILURE_THRESHOLD", "3", "BREAKER_OPEN_MS", "500", "FALLBACK_ENABLED", "false");
    }

    @AfterEach
    void stop() {
        ambassador.close();
        catApi.close();
    }

    @Test
    void opensAfterTheThresholdFailsFastWhileOpenAndClosesAfterASuccessfulProbe() {
        String upstream = "localhost:" + catApi.getPort();
        // Given an upstream that fails: three failures in a row open the breaker
        for (int i = 0; i < 3; i++) assertThat(ambassador.get("/images/latest").status()).isEqualTo(503);
        assertThat(ambassador.metric("ambassador_circuit_breaker_state", "upstream", upstream)).as("open").isEqualTo(2.0);

        // When the breaker is open, calls fail fast and the upstream sees nothing
        var shortCircuited = ambassador.get("/images/latest");
        assertThat(shortCircuited.status()).isEqualTo(503);
        assertThat(shortCircuited.body()).contains("\"error\":\"circuit_open\"");
        assertThat(shortCircuited.header("Retry-After")).isNotNull();
        assertThat(shortCircuited.took()).isLessThan(Duration.ofMillis(400));
        assertThat(catApi.getRequestCount()).as("no upstream traffic while open").isEqualTo(3);
        assertThat(ambassador.metric("ambassador_circuit_breaker_rejections_total", "upstream", upstream)).isEqualTo(1.0);

        // Then, once the upstream heals, the first call after the open period probes it and closes the breaker
        upstreamHealthy = true;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> ambassador.get("/images/latest").status() == 200);
        assertThat(ambassador.metric("ambassador_circuit_breaker_state", "upstream", upstream)).as("closed").isZero();
        assertThat(ambassador.metric("ambassador_circuit_breaker_transitions_total", "state", "open")).isEqualTo(1.0);
        assertThat(ambassador.metric("ambassador_circuit_breaker_transitions_total", "state", "half-open")).isEqualTo(1.0);
        assertThat(ambassador.metric("ambassador_circuit_breaker_transitions_total", "state", "closed")).isEqualTo(1.0);
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() {
        for (int i = 0; i < 3; i++) ambassador.get("/images/latest");

        // Each poll is a caller; the first one after the open period is the probe, and it fails
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ambassador.get("/images/latest");
            return catApi.getRequestCount() > 3;
        });

        assertThat(catApi.getRequestCount()).as("exactly one probe reached the upstream").isEqualTo(4);
        assertThat(ambassador.metric("ambassador_circuit_breaker_transitions_total", "state", "open")).isEqualTo(2.0);
    }
}
