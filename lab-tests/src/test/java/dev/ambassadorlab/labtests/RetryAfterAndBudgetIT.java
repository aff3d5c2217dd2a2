package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.Callers;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Exercise 06: retry etiquette. Wait as long as the upstream asks, and never turn an outage into a retry storm. */
@Tag("exercise-06")
class RetryAfterAndBudgetIT extends ChaosTest {
    private static final String SEARCH = "/v1/images/search";
    private static final int CALLERS_AT_ONCE = Integer.parseInt(LabPod.AMBASSADOR_SETTINGS.get("BULKHEAD_MAX_CONCURRENT"));

    private int searchesSeen() {
        return pod.catApiMock().find(getRequestedFor(urlPathEqualTo(SEARCH))).size();
    }

    @Test
    void a_429_with_Retry_After_is_waited_out_and_then_succeeds() {
        var before = pod.metrics();
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).inScenario("rate limited")
                .whenScenarioStateIs(STARTED).willSetStateTo("allowed")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));

        var answer = pod.ambassador("/images/latest");

        assertThat(answer.status() == 200 && answer.took().compareTo(Duration.ofSeconds(2)) >= 0)
                .withFailMessage("after a 429 with Retry-After: 2 expected the retry to wait 2 s and succeed; got %s; "
                        + "does RetryAfter.requested() read whole seconds?", answer.summary())
                .isTrue();
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_retries_total")).isEqualTo(1);
        assertThat(after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "rate_limited")).isEqualTo(1);
        assertThat(searchesSeen()).isEqualTo(2);
    }

    @Test
    void a_Retry_After_longer_than_the_cap_is_passed_to_the_caller_instead_of_waited() {
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(searchesSeen()).withFailMessage("the upstream asked for a 60 s pause, over RETRY_AFTER_MAX_MS (3 s), "
                + "so expected no retry; the mock saw %d searches; does RetryAfter.requested() read the header?",
                searchesSeen()).isEqualTo(1);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("60");
        assertThat(answer.took()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void during_a_long_outage_with_many_concurrent_callers_retries_stay_within_the_retry_budget() throws Exception {
        // Given an upstream that rate-limits everyone (429 does not open the breaker, so only the budget stops retries)
        var before = pod.metrics();
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(aResponse().withStatus(429)));
        int waves = 3;
        int callers = waves * CALLERS_AT_ONCE;

        // When three waves of callers each want up to two retries
        for (int wave = 0; wave < waves; wave++) {
            assertThat(Callers.atOnce(CALLERS_AT_ONCE, () -> pod.ambassador("/images/latest", NO_STALE)))
                    .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(503));
        }

        // Then retries stay within the budget: its floor (2/s over 5 s) plus 0.2 x the requests in its window, which
        // are these callers and the few calls the pod's reset made just before (counted generously as 10)
        var after = pod.metrics();
        double retries = after.increaseSince(before, "ambassador_retries_total");
        double budget = 2 * 5 + 0.2 * (callers + 10);
        assertThat(retries).withFailMessage("%d callers during an outage may retry at most %.0f times (the retry "
                + "budget); /metrics shows %.0f retries; does tryAcquireRetry() refuse once the window holds "
                + "allowedRetries() retries?", callers, budget, retries).isLessThanOrEqualTo(budget);
        assertThat(after.increaseSince(before, "ambassador_retry_budget_rejections_total")).isPositive();
        assertThat(pod.catApiMock().find(anyRequestedFor(anyUrl()))).as("the mock's journal: each caller once, plus the retries")
                .hasSize(callers + (int) retries);
    }
}
