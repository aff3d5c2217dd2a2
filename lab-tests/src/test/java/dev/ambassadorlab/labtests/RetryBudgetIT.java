package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.Callers;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 06, second half: during an outage, retries stay within a share of the traffic. This class runs its own
 * ambassador, fresh, with no minimum and a window longer than the scenario, so the budget's promise is exact: retries
 * never exceed 0.2 × the calls it has made.
 */
@Tag("exercise-06")
class RetryBudgetIT extends ChaosTest {
    private static final double RATIO = 0.2;
    private static final int CALLERS_AT_ONCE = Integer.parseInt(LabPod.AMBASSADOR_SETTINGS.get("BULKHEAD_MAX_CONCURRENT"));

    @Override
    protected Map<String, String> ambassadorSettings() {
        return Map.of("RETRY_BUDGET_RATIO", String.valueOf(RATIO), "RETRY_BUDGET_MIN_PER_SECOND", "0",
                "RETRY_BUDGET_WINDOW_MS", "60000");
    }

    @Test
    void during_a_long_outage_with_many_concurrent_callers_retries_stay_within_the_retry_budget() throws Exception {
        // Given an upstream that rate-limits everyone (429 does not open the breaker, so only the budget stops retries)
        pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1).willReturn(aResponse().withStatus(429)));
        int waves = 3;
        int callers = waves * CALLERS_AT_ONCE;

        // When three waves of callers each want up to two retries
        for (int wave = 0; wave < waves; wave++) {
            int waveNumber = wave + 1;
            assertThat(Callers.atOnce(CALLERS_AT_ONCE, () -> pod.ambassador("/images/latest", NO_STALE)))
                    .allSatisfy(answer -> assertThat(answer.status()).withFailMessage("wave %d: with every search "
                            + "answered 429, expected each of the %d callers to get a 503; one got %s", waveNumber,
                            CALLERS_AT_ONCE, answer.summary()).isEqualTo(503));
        }

        // Then, since this ambassador started (the pod's reset retries nothing), retries are at most 0.2 x its calls:
        // its attempts that were not retries
        var metrics = pod.metrics();
        double retries = metrics.value("ambassador_retries_total");
        double calls = metrics.value("ambassador_upstream_attempts_total") - retries;
        assertThat(retries).withFailMessage("%d callers during an outage would retry %d times without a budget; the "
                + "retry budget allows %.0f (%.1f x %.0f calls); /metrics shows %.0f retries; does tryAcquireRetry() "
                + "refuse once the window holds allowedRetries() retries?", callers, callers * 2,
                Math.floor(RATIO * calls), RATIO, calls, retries).isLessThanOrEqualTo(Math.floor(RATIO * calls));
        double refusedByBudget = metrics.value("ambassador_retry_budget_rejections_total");
        assertThat(refusedByBudget).withFailMessage("the budget must have refused some of the %d retries wanted, so "
                + "expected ambassador_retry_budget_rejections_total above 0; it is %.0f; does tryAcquireRetry() "
                + "refuse, and is the refusal counted?", callers * 2, refusedByBudget).isPositive();
        assertThat(pod.catApiMock().find(anyRequestedFor(anyUrl()))).as("the mock's journal: each caller once, plus the retries")
                .hasSize(callers + (int) retries);
    }
}
