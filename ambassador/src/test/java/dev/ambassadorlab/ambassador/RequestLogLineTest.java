package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.Expect;
import dev.ambassadorlab.ambassador.web.BatchedStdout;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the request log line and /metrics say about one request: its time, its detail, the policies' settings. */
class RequestLogLineTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_MAX_RETRIES", "0");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void aLineCarriesTheTimeOfDayToTheMillisecondAndTheRequestsDuration() {
        catApi.enqueue(new MockResponse.Builder(json("[]")).headersDelay(300, TimeUnit.MILLISECONDS).build());

        pod.ambassador().get("/v1/breeds");

        // A relayed answer leaves before its log line is written: the line follows within moments.
        await().atMost(Duration.ofSeconds(5)).until(() -> !pod.ambassador().accessLog().isBlank());
        String line = pod.ambassador().accessLog().strip();
        assertThat(line).matches("\\{\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\".*");
        long millis = Long.parseLong(line.replaceFirst(".*\"duration_ms\":(\\d+).*", "$1"));
        assertThat(millis).as("the duration of a request the upstream held 300 ms").isBetween(250L, 10_000L);
        double seconds = pod.ambassador().metric("ambassador_request_duration_seconds_sum");
        assertThat(seconds).as("the same in the latency histogram, in seconds").isBetween(0.25, 10.0);
    }

    @Test
    void aLongDetailIsCutTo300Characters() {
        catApi.enqueue(new MockResponse.Builder().status("HTTP/1.1 5OO " + "x".repeat(400)).body("{}").build());

        pod.ambassador().get("/v1/breeds");

        String detail = pod.ambassador().accessLog().replaceFirst("(?s).*\"detail\":\"([^\"]*)\".*", "$1");
        assertThat(detail).hasSize(303).endsWith("xxx...");
    }

    @Test
    void theBulkheadsLimitIsOnMetrics() {
        Expect.metric(pod.ambassador(), 16, "BULKHEAD_MAX_CONCURRENT's default", "ambassador_bulkhead_limit");
    }

    @Test
    void aLastGoodImageThatIsNoLongerOnDiskIsNotServedStale() throws IOException {
        var ambassador = pod.ambassador();
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        Expect.status(ambassador.get("/images/latest"), 200, "a healthy upstream and the cat tabby");
        Files.delete(pod.root().resolve("images/tabby.jpg"));
        catApi.enqueue(status(503));

        Expect.status(ambassador.get("/images/latest"), 503, "a 503 after the last good image was deleted from disk");
        Expect.metric(ambassador, 0, "no stale answer without its file", "ambassador_fallbacks_total");
    }

    @Test
    void theBatchedStandardOutputIsAStreamThatTakesLines() {
        var out = BatchedStdout.open();
        assertThat(out).isNotNull();
        out.flush();
        assertThat(out.checkError()).isFalse();
    }
}
