package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.Metrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 13: during an outage (every search a 503), retries at two layers multiply. The ambassador keeps a retry
 * budget of a tenth of its requests (and no floor), and its breaker is set out of the way so that the retries alone
 * are measured; the app may resend a request twice (APP_RETRIES). Solved, the app resends nothing the ambassador
 * answered, and 100 callers cost the upstream about 1.1 calls each; resending every 5xx costs about 3.3.
 */
@Tag("exercise-13")
class RetryStormIT extends ChaosTest {
    private static final String SEARCH = "/v1/images/search";
    private static final int CALLERS = 100;
    private static final double MOST_PER_CALLER = 1.2;

    @Override
    protected Map<String, String> ambassadorSettings() {
        return Map.of("RETRY_BUDGET_RATIO", "0.1", "RETRY_BUDGET_MIN_PER_SECOND", "0",
                "BREAKER_FAILURE_THRESHOLD", "1000");
    }

    @Override
    protected Map<String, String> appSettings() {
        return Map.of("APP_RETRIES", "2");
    }

    @Test
    void during_an_outage_each_of_100_callers_costs_the_upstream_about_one_call() throws Exception {
        // Given every search answers 503
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"down\"}")));
        Metrics before = pod.metrics();

        // When 100 callers ask the app for a cat, four at a time (under the bulkhead's six)
        List<Answer> answers;
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Answer>> asked = IntStream.range(0, CALLERS).mapToObj(i -> callers.submit(() ->
                    pod.app("/images/latest", NO_STALE[0], NO_STALE[1]))).toList();
            answers = asked.stream().map(RetryStormIT::join).toList();
        } finally {
            callers.shutdownNow();
        }

        // Then the upstream saw about one call per caller: the ambassador's budgeted retries, and no more
        Metrics after = pod.metrics();
        int searches = pod.catApiMock().find(getRequestedFor(urlPathEqualTo(SEARCH))).size();
        double perCaller = (double) searches / CALLERS;
        int appRetries = (int) after.increaseSince(before, "ambassador_caller_retries_total");
        int ambassadorRequests = (int) after.increaseSince(before, "ambassador_requests_total");
        int ambassadorRetries = (int) after.increaseSince(before, "ambassador_retries_total");
        ScenarioLog.measured(String.format("%d callers, every search a 503: %d upstream calls (%.2f per caller); the "
                        + "app sent %d requests to the ambassador (%d of them again), the ambassador retried %d",
                CALLERS, searches, perCaller, ambassadorRequests, appRetries, ambassadorRetries));
        assertThat(answers).as("every caller's answer: an error, not a hang").allSatisfy(answer ->
                assertThat(answer.status()).isBetween(500, 599));
        assertThat(perCaller).withFailMessage("%d callers during an outage cost the upstream %d calls, %.2f each "
                + "(at most %.1f expected: one, plus the ambassador's budget of a tenth); the app resent %d requests "
                + "the ambassador had answered (each one tried again upstream): retries at two layers multiply; does "
                + "retry() resend only what never reached the ambassador?", CALLERS, searches, perCaller,
                MOST_PER_CALLER, appRetries).isLessThanOrEqualTo(MOST_PER_CALLER);
        assertThat(appRetries).as("requests the app sent again (ambassador_caller_retries_total)").isZero();
    }

    private static Answer join(Future<Answer> answer) {
        try {
            return answer.get();
        } catch (Exception failed) {
            throw new IllegalStateException("a caller failed: " + failed, failed);
        }
    }
}
