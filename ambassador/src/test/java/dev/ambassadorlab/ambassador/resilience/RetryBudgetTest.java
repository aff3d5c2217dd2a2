package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.Expect;
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

        assertThat(budget.tryAcquireRetry())
                .as("tryAcquireRetry() should allow retry 1 of the 2 that 4 requests earn at ratio 0.5").isTrue();
        assertThat(budget.tryAcquireRetry())
                .as("tryAcquireRetry() should allow retry 2 of the 2 that 4 requests earn at ratio 0.5").isTrue();
        assertThat(budget.tryAcquireRetry())
                .as("tryAcquireRetry() should refuse a third retry: 0.5 × 4 requests = 2").isFalse();
    }

    @Test
    void theFloorAllowsAFewRetriesEvenWithoutTraffic() {
        var budget = new RetryBudget(0.2, 1, Duration.ofSeconds(3), now::get);

        assertThat(budget.remaining()).as("remaining() with no traffic: the floor, 1 per second over a 3 s window")
                .isEqualTo(3.0);
        for (int i = 1; i <= 3; i++) {
            assertThat(budget.tryAcquireRetry())
                    .as("tryAcquireRetry() should allow retry %d of the floor's 3, with no traffic", i).isTrue();
        }
        assertThat(budget.tryAcquireRetry())
                .as("tryAcquireRetry() should refuse a fourth retry: the floor is 3").isFalse();
    }

    @Test
    void retriesAndRequestsOlderThanTheWindowAreForgotten() {
        var budget = new RetryBudget(1.0, 0, Duration.ofSeconds(10), now::get);
        budget.recordRequest();
        assertThat(budget.tryAcquireRetry())
                .as("tryAcquireRetry() should allow the one retry that 1 request earns at ratio 1.0").isTrue();
        assertThat(budget.tryAcquireRetry())
                .as("tryAcquireRetry() should refuse a second retry: 1 request at ratio 1.0 earns one").isFalse();

        now.addAndGet(Duration.ofSeconds(10).toNanos());

        assertThat(budget.tryAcquireRetry()).as("the old request no longer earns a retry").isFalse();
        budget.recordRequest();
        assertThat(budget.tryAcquireRetry()).as("the old retry no longer counts against the budget").isTrue();
    }

    @Test
    void eachRequestLeavesTheWindowWhenItsOwnTimeIsUp() {
        var budget = new RetryBudget(0.5, 0, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 4; i++) budget.recordRequest();
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        for (int i = 0; i < 4; i++) budget.recordRequest();

        now.addAndGet(Duration.ofMillis(3_900).toNanos());
        assertThat(budget.remaining()).as("at 9.9 s all 8 requests are in the 10 s window: 0.5 × 8").isEqualTo(4.0);
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(budget.remaining()).as("at 10 s the first 4 have left it: 0.5 × 4").isEqualTo(2.0);
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(budget.remaining()).as("at 16 s all have left it").isEqualTo(0.0);
        now.addAndGet(Duration.ofDays(1).toNanos());
        budget.recordRequest();
        budget.recordRequest();
        assertThat(budget.remaining()).as("a day later, only the 2 new requests count: 0.5 × 2").isEqualTo(1.0);
    }

    @Test
    void aMillionRequestsInTheWindowAreCountedAsAMillion() {
        var budget = new RetryBudget(0.001, 0, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 1_000_000; i++) {
            budget.recordRequest();
            now.addAndGet(5_000); // 200,000 requests a second
        }

        assertThat(budget.remaining()).as("0.001 × the 1,000,000 requests of the last 5 s").isEqualTo(1000.0);
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

        for (int i = 0; i < callers; i++) {
            Expect.status(ambassador.get("/images/latest"), 503, "every search answered 503");
        }

        double retries = ambassador.metric("ambassador_retries_total");
        assertThat(retries).withFailMessage("%d callers in an outage, each allowed 2 retries: %d retries without a "
                + "budget, at most %.0f with RETRY_BUDGET_RATIO 0.5; /metrics shows %.0f", callers, callers * 2,
                0.5 * callers, retries).isLessThanOrEqualTo(0.5 * callers);
        Expect.upstreamCalls(catApi, callers + (int) retries, "each caller once, plus the retries on /metrics");
        double refused = ambassador.metric("ambassador_retry_budget_rejections_total");
        assertThat(refused).withFailMessage("the budget must have refused retries, so expected "
                + "ambassador_retry_budget_rejections_total above 0; it is %.0f", refused).isPositive();
    }
}
