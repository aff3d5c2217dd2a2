package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings();
    private final MockWebServer catApi = pod.catApi();
    private final AtomicLong now = new AtomicLong();

    @Test
    void allowsRetriesUpToTheRatioOfRecentRequests() {
        var budget = new RetryBudget(0.5, 0, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 4; i++) budget.recordRequest();

        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).as("0.5 × 4 requests = 2 retries").isFalse();
    }

    @Test
    void theFloorAllowsAFewRetriesEvenWithoutTraffic() {
        var budget = new RetryBudget(0.2, 1, Duration.ofSeconds(3), now::get);

        assertThat(budget.remaining()).as("1 per second over a 3 s window").isEqualTo(3.0);
        for (int i = 0; i < 3; i++) assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isFalse();
    }

    @Test
    void retriesAndRequestsOlderThanTheWindowAreForgotten() {
        var budget = new RetryBudget(1.0, 0, Duration.ofSeconds(10), now::get);
        budget.recordRequest();
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isFalse();

        now.addAndGet(Duration.ofSeconds(10).toNanos());

        assertThat(budget.tryAcquireRetry()).as("the old request no longer earns a retry").isFalse();
        budget.recordRequest();
        assertThat(budget.tryAcquireRetry()).as("the old retry no longer counts against the budget").isTrue();
    }

    @Test
    void duringAnOutageRetriesStayWithinTheBudget() {
        catApi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return status(503);
            }
        });
        var ambassador = pod.start("RETRY_BUDGET_RATIO", "0.5", "RETRY_BUDGET_MIN_PER_SECOND", "0",
                "RETRY_MAX_RETRIES", "2", "RETRY_BASE_DELAY_MS", "1", "BREAKER_FAILURE_THRESHOLD", "1000",
                "FALLBACK_ENABLED", "false");
        int callers = 20;

        for (int i = 0; i < callers; i++) assertThat(ambassador.get("/images/latest").status()).isEqualTo(503);

        double retries = ambassador.metric("ambassador_retries_total");
        assertThat(retries).as("without a budget: %d", callers * 2).isLessThanOrEqualTo(0.5 * callers);
        assertThat(catApi.getRequestCount()).isEqualTo(callers + (int) retries);
        assertThat(ambassador.metric("ambassador_retry_budget_rejections_total")).isPositive();
    }
}
