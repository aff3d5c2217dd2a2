package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.LabPod;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Many callers at once: the retry budget and the bulkhead keep the ambassador from making things worse. */
class LoadIT extends ChaosTest {
    private static final int BULKHEAD = Integer.parseInt(LabPod.AMBASSADOR_SETTINGS.get("BULKHEAD_MAX_CONCURRENT"));

    /** Sends {@code callers} requests at the same moment and returns their answers. */
    private List<Answer> concurrently(int callers, String... headers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return pod.ambassador("/images/latest", headers);
                }));
            }
            go.countDown();
            List<Answer> done = new ArrayList<>();
            for (Future<Answer> answer : answers) done.add(answer.get());
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void during_a_long_outage_with_many_concurrent_callers_retries_stay_within_the_retry_budget() throws Exception {
        // Given an upstream that rate-limits everyone (429 does not open the breaker, so only the budget stops retries)
        var before = pod.metrics();
        pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1)
                .willReturn(aResponse().withStatus(429)));
        int waves = 3;
        int callers = waves * BULKHEAD;

        // When three waves of callers each want up to two retries
        for (int wave = 0; wave < waves; wave++) {
            assertThat(concurrently(BULKHEAD, NO_STALE)).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(503));
        }

        // Then retries stay within the budget: its floor (2/s over 5 s) plus 0.2 x the requests in its window, which
        // are these callers and the few calls the pod's reset made just before (counted generously as 10)
        var after = pod.metrics();
        double retries = after.increaseSince(before, "ambassador_retries_total");
        double budget = 2 * 5 + 0.2 * (callers + 10);
        assertThat(retries).as("retries (%d without a budget)", callers * 2).isLessThanOrEqualTo(budget);
        assertThat(after.increaseSince(before, "ambassador_retry_budget_rejections_total")).isPositive();
        assertThat(after.value("ambassador_retry_budget_remaining")).isLessThan(1);
        assertThat(pod.catApiMock().find(anyRequestedFor(anyUrl()))).as("the mock's journal: each caller once, plus the retries")
                .hasSize(callers + (int) retries);
    }

    @Test
    void callers_beyond_the_bulkhead_get_a_fast_503_while_the_rest_succeed() throws Exception {
        // Given every answer takes a second to arrive, so each caller holds its permit for about two seconds
        var before = pod.metrics();
        pod.catApiProxy().toxics().latency("slow", ToxicDirection.DOWNSTREAM, 1000);
        int extra = 3;

        // When more callers arrive at once than the bulkhead admits
        List<Answer> answers = concurrently(BULKHEAD + extra);

        // Then exactly the excess is refused, quickly, and the others get their cat
        List<Answer> refused = answers.stream().filter(answer -> answer.status() == 503).toList();
        assertThat(refused).hasSize(extra).allSatisfy(answer -> {
            assertThat(answer.error()).isEqualTo("overloaded");
            assertThat(answer.header("Retry-After")).isEqualTo("1");
            assertThat(answer.took()).isLessThan(java.time.Duration.ofMillis(1000));
        });
        assertThat(answers).filteredOn(answer -> answer.status() == 200).hasSize(BULKHEAD);
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_bulkhead_rejections_total")).isEqualTo(extra);
        assertThat(after.value("ambassador_bulkhead_in_flight")).isZero();
    }
}
