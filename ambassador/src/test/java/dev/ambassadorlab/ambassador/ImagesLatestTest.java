package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.CatApiResponses;
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

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"image_id\":\"tabby\"", "\"width\":400", "\"height\":300",
                "\"bytes\":" + CatApiResponses.tabbyJpeg().length, "\"stale\":false");
        assertThat(Files.readAllBytes(pod.root().resolve("images/tabby.jpg"))).isEqualTo(CatApiResponses.tabbyJpeg());
        assertThat(pod.ambassador().metric("ambassador_requests_total", "status", "success")).isEqualTo(1.0);
        assertThat(pod.ambassador().metric("ambassador_images_saved_total")).isEqualTo(1.0);
        assertThat(pod.ambassador().metric("ambassador_request_duration_seconds_count")).isEqualTo(1.0);
        assertThat(pod.ambassador().metric("ambassador_retries_total")).isZero();
    }

    @Test
    void twoServiceUnavailableAnswersThenSuccessCostTwoRetriesAndWellUnderASecond() {
        // default backoff: 100 ms base, doubling, jittered
        catApi.enqueue(status(503));
        catApi.enqueue(status(503));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(pod.ambassador().metric("ambassador_retries_total")).as("retries after 503, 503").isEqualTo(2.0);
        assertThat(catApi.getRequestCount()).as("search attempts plus one download").isEqualTo(4);
        assertThat(answer.took()).as("two backoff waits from 100 ms (not fixed sleeps of seconds)").isLessThan(Duration.ofSeconds(1));
        assertThat(pod.ambassador().metric("ambassador_upstream_attempts_total", "outcome", "server_error")).isEqualTo(2.0);
    }

    @Test
    void keepsTheCallersRequestIdAndLogsOneJsonLineWithIt() throws InterruptedException {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest", "X-Request-Id", "trace-42");

        assertThat(answer.header("X-Request-Id")).isEqualTo("trace-42");
        RecordedRequest search = catApi.takeRequest(1, TimeUnit.SECONDS);
        assertThat(search.getHeaders().get("X-Request-Id")).as("forwarded upstream").isEqualTo("trace-42");
        assertThat(pod.ambassador().accessLog().lines().filter(line -> line.contains("\"request_id\":\"trace-42\"")))
                .singleElement().asString()
                .contains("\"path\":\"/images/latest\"", "\"status\":200", "\"outcome\":\"success\"", "\"attempts\":2");
    }

    @Test
    void replacesARequestIdThatIsNotAPlainToken() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest", "X-Request-Id", "evil\"id with spaces");

        assertThat(answer.header("X-Request-Id")).matches("[0-9a-f-]{36}");
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

        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        assertThat(answer.body()).contains("\"error\":\"truncated_answer\"");
        assertThat(pod.ambassador().metric("ambassador_upstream_attempts_total", "outcome", "truncated")).isEqualTo(2.0);
        assertThat(pod.filesWritten()).isEmpty();
    }

    @Test
    void anUnknownRouteIsAJsonNotFound() {

        var answer = pod.ambassador().get("/nothing-here");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("\"error\":\"not_found\"", "/images/latest");
    }

    @Test
    void healthEndpointsAnswerOnTheAdminPortWithoutTouchingTheUpstream() {

        assertThat(pod.ambassador().admin("/health/live").status()).isEqualTo(200);
        assertThat(pod.ambassador().admin("/health/ready").body()).contains("\"ready\"");
        assertThat(pod.ambassador().admin("/health").status()).isEqualTo(200);
        assertThat(catApi.getRequestCount()).isZero();
    }

    @Test
    void eachPortServesOnlyItsOwnRoutes() {

        var metricsOnTheProxy = pod.ambassador().get("/metrics");
        var imagesOnTheAdminPort = pod.ambassador().admin("/images/latest");
        var passthroughOnTheAdminPort = pod.ambassador().admin("/v1/breeds");

        assertThat(metricsOnTheProxy.status()).isEqualTo(404);
        assertThat(metricsOnTheProxy.body()).contains("admin port");
        assertThat(imagesOnTheAdminPort.status()).isEqualTo(404);
        assertThat(passthroughOnTheAdminPort.status()).isEqualTo(404);
        assertThat(catApi.getRequestCount()).isZero();
    }
}
