package dev.ambassadorlab.labtests;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exercise 12: a caller's deadline (X-Request-Deadline-Ms) becomes the request's when it is shorter than the
 * ambassador's own (6 s here), and each attempt tells the upstream how long it has. The faults are sized well apart
 * from the caller's 800 ms: answers a second late, or 503s that would take three attempts and 1.8 s to give up on.
 */
@Tag("exercise-12")
class DeadlinePropagationIT extends ChaosTest {
    private static final String DEADLINE = "X-Request-Deadline-Ms";
    private static final String SEARCH = "/v1/images/search";

    private List<LoggedRequest> searchesOf(String requestId) {
        return pod.catApiMock().find(getRequestedFor(urlPathEqualTo(SEARCH)).withHeader("X-Request-Id",
                equalTo(requestId)));
    }

    private static long toldUpstream(LoggedRequest attempt) {
        String value = attempt.getHeader(DEADLINE);
        assertThat(value).withFailMessage("an attempt reached the upstream without %s: does forAttempt tell the "
                + "upstream how long the attempt has?", DEADLINE).isNotNull();
        return Long.parseLong(value);
    }

    @Test
    void a_caller_that_waits_800_ms_gets_its_504_by_then_and_the_upstream_hears_the_time_left() throws IOException {
        // Given every answer of the Cat API comes a second late
        pod.catApiProxy().toxics().latency("late", ToxicDirection.DOWNSTREAM, 1000);

        // When a caller that will wait 800 ms asks for a cat
        var answer = pod.ambassador("/images/latest", "X-Request-Id", "deadline-800", DEADLINE, "800",
                NO_STALE[0], NO_STALE[1]);

        // Then it hears "deadline exceeded" at its own deadline, not the ambassador's, after one search at most
        List<LoggedRequest> searches = searchesOf("deadline-800");
        ScenarioLog.measured("caller's deadline 800 ms: " + answer.status() + " after " + answer.took().toMillis()
                + " ms; the upstream saw " + searches.size() + " search(es), told "
                + searches.stream().map(search -> search.getHeader(DEADLINE)).toList() + " ms");
        assertThat(answer.status()).withFailMessage("the caller sent %s: 800 and every answer takes 1 s; expected a "
                + "504 \"deadline_exceeded\" at 800 ms (the smaller deadline wins); got %s; does forRequest keep the "
                + "caller's shorter deadline?", DEADLINE, answer.summary()).isEqualTo(504);
        assertThat(answer.error()).isEqualTo("deadline_exceeded");
        assertThat(answer.took()).withFailMessage("the caller waits 800 ms: expected its 504 by about then, well "
                + "before the 1 s answer; it took %d ms", answer.took().toMillis()).isLessThan(Duration.ofMillis(1500));
        assertThat(searches).as("searches the upstream saw for this request").hasSize(1);
        assertThat(toldUpstream(searches.get(0))).withFailMessage("the caller gave 800 ms: expected the search to "
                + "tell the upstream at most 800 ms; it said %s", searches.get(0).getHeader(DEADLINE))
                .isBetween(1L, 800L);
    }

    @Test
    void a_caller_that_gives_up_at_800_ms_causes_no_attempt_after() throws Exception {
        // Given the search answers 503 after 500 ms: three attempts with their waits would take about 1.8 s
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"busy\"}")));
        pod.catApiProxy().toxics().latency("slow", ToxicDirection.DOWNSTREAM, 500);

        // When a caller says it waits 800 ms, and then does hang up at 800 ms
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(pod.ambassadorUrl("/images/latest")))
                .header("X-Request-Id", "gives-up-800").header(DEADLINE, "800").header(NO_STALE[0], NO_STALE[1])
                .timeout(Duration.ofMillis(800)).build();
        String heard;
        try {
            heard = String.valueOf(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        } catch (HttpTimeoutException gaveUp) {
            heard = "nothing (it hung up)";
        }

        // Then the ambassador stops with it: once it has finished the request, the upstream has seen no attempt that
        // started after the caller's 800 ms
        await("the ambassador's trace of the request").atMost(Duration.ofSeconds(10))
                .until(() -> pod.trace("gives-up-800").isPresent());
        List<LoggedRequest> searches = searchesOf("gives-up-800");
        List<Long> startedAfterMs = searches.stream()
                .map(search -> Duration.between(searches.get(0).getLoggedDate().toInstant(),
                        search.getLoggedDate().toInstant()).toMillis()).toList();
        ScenarioLog.measured("caller gave up at 800 ms (heard " + heard + " after "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms); the upstream saw "
                + searches.size() + " search(es), started " + startedAfterMs + " ms after the first, told "
                + searches.stream().map(search -> search.getHeader(DEADLINE)).toList() + " ms");
        assertThat(searches).withFailMessage("the caller gives up at 800 ms and each 503 takes 500 ms: expected at "
                + "most 2 searches (a third would start after the deadline); the upstream saw %d, started %s ms after "
                + "the first; does the request keep the caller's deadline?", searches.size(), startedAfterMs)
                .hasSizeBetween(1, 2);
        assertThat(startedAfterMs).as("when each search started, after the first (ms)")
                .allSatisfy(after -> assertThat(after).isLessThan(800L));
        assertThat(searches).allSatisfy(search -> assertThat(toldUpstream(search)).isBetween(1L, 800L));
    }
}
