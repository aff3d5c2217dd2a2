package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.CatApiResponses;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /images/latest end to end: search, download, checks, atomic save, and the three core metrics. */
class ImagesLatestTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings();
    private final MockWebServer catApi = pod.catApi();

    @Test
    void savesTheImageAndAnswersWithItsIdAndSize() throws IOException {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 200, "a healthy upstream and the cat tabby");
        assertThat(answer.body()).as("the answer: tabby's id, size and bytes, fresh")
                .contains("\"image_id\":\"tabby\"", "\"width\":400", "\"height\":300",
                        "\"bytes\":" + CatApiResponses.tabbyJpeg().length, "\"stale\":false");
        assertThat(Files.readAllBytes(pod.root().resolve("images/tabby.jpg"))).as("images/tabby.jpg: the JPEG served")
                .isEqualTo(CatApiResponses.tabbyJpeg());
        Expect.metric(pod.ambassador(), 1, "one request served", "ambassador_requests_total", "status", "success");
        Expect.metric(pod.ambassador(), 1, "one image saved", "ambassador_images_saved_total");
        Expect.metric(pod.ambassador(), 1, "one request timed", "ambassador_request_duration_seconds_count");
        Expect.metric(pod.ambassador(), 0, "a healthy upstream needs no retry", "ambassador_retries_total");
    }

    @Test
    void twoServiceUnavailableAnswersThenSuccessCostTwoRetriesAndWellUnderASecond() {
        // default backoff: 100 ms base, doubling, jittered
        catApi.enqueue(status(503));
        catApi.enqueue(status(503));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 200, "two 503s from the search, then a cat");
        Expect.metric(pod.ambassador(), 2, "a retry after each 503", "ambassador_retries_total");
        Expect.upstreamCalls(catApi, 4, "3 search attempts plus one download");
        assertThat(answer.took()).withFailMessage("two backoff waits from 100 ms (not fixed sleeps of seconds) should "
                + "take well under 1 s; the answer took %d ms", answer.took().toMillis())
                .isLessThan(Duration.ofSeconds(1));
        Expect.metric(pod.ambassador(), 2, "two 503s", "ambassador_upstream_attempts_total", "outcome", "server_error");
    }

    @Test
    void keepsTheCallersRequestIdAndLogsOneJsonLineWithIt() throws InterruptedException {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest", "X-Request-Id", "trace-42");

        assertThat(answer.header("X-Request-Id")).as("the caller's X-Request-Id, echoed").isEqualTo("trace-42");
        RecordedRequest search = catApi.takeRequest(1, TimeUnit.SECONDS);
        assertThat(search.getHeaders().get("X-Request-Id")).as("forwarded upstream").isEqualTo("trace-42");
        assertThat(pod.ambassador().accessLog().lines().filter(line -> line.contains("\"request_id\":\"trace-42\"")))
                .as("the request log's lines for request trace-42: one, in JSON").singleElement().asString()
                .contains("\"path\":\"/images/latest\"", "\"status\":200", "\"outcome\":\"success\"", "\"attempts\":2")
                .containsPattern("^\\{\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",");
    }

    @Test
    void replacesARequestIdThatIsNotAPlainToken() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest", "X-Request-Id", "evil\"id with spaces");

        assertThat(answer.header("X-Request-Id")).as("the X-Request-Id answered to a caller that sent one with a "
                + "quote and spaces: a fresh UUID instead").matches("[0-9a-f-]{36}");
    }

    @Test
    void aDownloadCutShortIsRetriedAndNeverLeavesAPartialFile() throws IOException {
        pod.start("RETRY_MAX_RETRIES", "1", "RETRY_BASE_DELAY_MS", "10");
        MockResponse cutShort = new MockResponse.Builder(jpeg()).onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
                .build();
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(cutShort);
        catApi.enqueue(cutShort);

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 502, "a download cut short, twice (RETRY_MAX_RETRIES=1)");
        assertThat(answer.body()).as("the 502's body").contains("\"error\":\"truncated_answer\"");
        Expect.metric(pod.ambassador(), 2, "two downloads cut short", "ambassador_upstream_attempts_total",
                "outcome", "truncated");
        assertThat(pod.filesWritten()).as("files written: none, not even a partial one").isEmpty();
    }

    @Test
    void anUnknownRouteIsAJsonNotFound() {

        var answer = pod.ambassador().get("/nothing-here");

        Expect.status(answer, 404, "GET /nothing-here, a route the proxy does not have");
        assertThat(answer.body()).as("the JSON 404, naming the routes").contains("\"error\":\"not_found\"",
                "/images/latest");
    }

    @Test
    void healthEndpointsAnswerOnTheAdminPortWithoutTouchingTheUpstream() {

        Expect.status(pod.ambassador().admin("/health/live"), 200, "GET /health/live on the admin port");
        assertThat(pod.ambassador().admin("/health/ready").body()).as("GET /health/ready on the admin port")
                .contains("\"ready\"");
        Expect.status(pod.ambassador().admin("/health"), 200, "GET /health on the admin port");
        Expect.upstreamCalls(catApi, 0, "health never depends on the upstream");
    }

    @Test
    void eachPortServesOnlyItsOwnRoutes() {

        var metricsOnTheProxy = pod.ambassador().get("/metrics");
        var imagesOnTheAdminPort = pod.ambassador().admin("/images/latest");
        var passthroughOnTheAdminPort = pod.ambassador().admin("/v1/breeds");

        Expect.status(metricsOnTheProxy, 404, "GET /metrics on the proxy port");
        assertThat(metricsOnTheProxy.body()).as("the 404 on the proxy port, pointing at the admin port")
                .contains("admin port");
        Expect.status(imagesOnTheAdminPort, 404, "GET /images/latest on the admin port");
        Expect.status(passthroughOnTheAdminPort, 404, "GET /v1/breeds on the admin port");
        Expect.upstreamCalls(catApi, 0, "no route on the wrong port reaches the upstream");
    }
}
