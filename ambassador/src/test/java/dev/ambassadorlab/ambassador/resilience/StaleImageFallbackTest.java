package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorHarness;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;

class StaleImageFallbackTest {
    @TempDir
    Path images;
    private final MockWebServer catApi = new MockWebServer();
    private AmbassadorHarness ambassador;

    @BeforeEach
    void start() throws IOException {
        catApi.start();
        ambassador = AmbassadorHarness.start(catApi, images, "RETRY_MAX_RETRIES", "0");
    }

    @AfterEach
    void stop() {
        ambassador.close();
        catApi.close();
    }

    @Test
    void withoutAnyGoodImageYetAnOutageIsA503() {
        catApi.enqueue(status(503));

        assertThat(ambassador.get("/images/latest").status()).isEqualTo(503);
        assertThat(ambassador.metric("ambassador_fallbacks_total")).isZero();
    }

    @Test
    void afterOneSuccessAnOutageServesTheLastGoodImageMarkedStale() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        assertThat(ambassador.get("/images/latest").status()).isEqualTo(200);
        catApi.enqueue(status(503));

        var answer = ambassador.get("/images/latest");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Ambassador-Stale")).isEqualTo("true");
        assertThat(answer.body()).contains("\"image_id\":\"tabby\"", "\"stale\":true", "\"stale_reason\":");
        assertThat(ambassador.metric("ambassador_fallbacks_total")).isEqualTo(1.0);
        assertThat(ambassador.metric("ambassador_requests_total", "status", "stale")).isEqualTo(1.0);
    }

    @Test
    void aCallerThatAsksForNoCacheGetsTheErrorInstead() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        ambassador.get("/images/latest");
        catApi.enqueue(status(503));

        var answer = ambassador.get("/images/latest", "Cache-Control", "no-cache");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(ambassador.metric("ambassador_fallbacks_total")).isZero();
    }

    @Test
    void aBadAnswerIsNotHiddenBehindAStaleImage() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        ambassador.get("/images/latest");
        catApi.enqueue(searchOn(catApi, "../etc"));

        assertThat(ambassador.get("/images/latest").status()).isEqualTo(502);
    }
}
