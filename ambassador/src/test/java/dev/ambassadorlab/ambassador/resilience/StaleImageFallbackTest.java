package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.Expect;
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

        Expect.status(pod.ambassador().get("/images/latest"), 503, "a 503 from the search and no good image yet");
        Expect.metric(pod.ambassador(), 0, "there is no image to fall back on", "ambassador_fallbacks_total");
    }

    @Test
    void afterOneSuccessAnOutageServesTheLastGoodImageMarkedStale() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        Expect.status(pod.ambassador().get("/images/latest"), 200, "a healthy upstream and the cat tabby");
        catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 200, "a 503 from the search after one good image (tabby), to serve stale");
        assertThat(answer.header("X-Ambassador-Stale")).as("the stale answer's X-Ambassador-Stale header")
                .isEqualTo("true");
        assertThat(answer.body()).as("the stale answer: the last good image, tabby, marked stale with a reason")
                .contains("\"image_id\":\"tabby\"", "\"stale\":true", "\"stale_reason\":");
        Expect.metric(pod.ambassador(), 1, "one stale answer", "ambassador_fallbacks_total");
        Expect.metric(pod.ambassador(), 1, "one stale answer", "ambassador_requests_total", "status", "stale");
    }

    @Test
    void aCallerThatAsksForNoCacheGetsTheErrorInstead() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        pod.ambassador().get("/images/latest");
        catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest", "Cache-Control", "no-cache");

        Expect.status(answer, 503, "a 503 from the search after one good image, and a caller sending "
                + "Cache-Control: no-cache (fresh or nothing)");
        Expect.metric(pod.ambassador(), 0, "no stale answer for a no-cache caller", "ambassador_fallbacks_total");
    }

    @Test
    void aBadAnswerIsNotHiddenBehindAStaleImage() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        pod.ambassador().get("/images/latest");
        catApi.enqueue(searchOn(catApi, "../etc"));

        Expect.status(pod.ambassador().get("/images/latest"), 502, "a search answer with the unsafe id ../etc after "
                + "one good image (a bad answer is a bug to see, not an outage to cover)");
    }
}
