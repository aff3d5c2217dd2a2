package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;

class StaleImageFallbackTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_MAX_RETRIES", "0");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void withoutAnyGoodImageYetAnOutageIsA503() {
        catApi.enqueue(status(503));

        assertThat(pod.ambassador().get("/images/latest").status()).isEqualTo(503);
        assertThat(pod.ambassador().metric("ambassador_fallbacks_total")).isZero();
    }

    @Test
    void afterOneSuccessAnOutageServesTheLastGoodImageMarkedStale() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        assertThat(pod.ambassador().get("/images/latest").status()).isEqualTo(200);
        catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Ambassador-Stale")).isEqualTo("true");
        assertThat(answer.body()).contains("\"image_id\":\"tabby\"", "\"stale\":true", "\"stale_reason\":");
        assertThat(pod.ambassador().metric("ambassador_fallbacks_total")).isEqualTo(1.0);
        assertThat(pod.ambassador().metric("ambassador_requests_total", "status", "stale")).isEqualTo(1.0);
    }

    @Test
    void aCallerThatAsksForNoCacheGetsTheErrorInstead() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        pod.ambassador().get("/images/latest");
        catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest", "Cache-Control", "no-cache");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(pod.ambassador().metric("ambassador_fallbacks_total")).isZero();
    }

    @Test
    void aBadAnswerIsNotHiddenBehindAStaleImage() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        pod.ambassador().get("/images/latest");
        catApi.enqueue(searchOn(catApi, "../etc"));

        assertThat(pod.ambassador().get("/images/latest").status()).isEqualTo(502);
    }
}
