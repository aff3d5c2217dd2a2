package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Exercise 06, first half: wait as long as the upstream asks, but never longer than the cap. */
@Tag("exercise-06")
class RetryAfterIT extends ChaosTest {
    private static final String SEARCH = "/v1/images/search";

    private int searchesSeen() {
        return pod.catApiMock().find(getRequestedFor(urlPathEqualTo(SEARCH))).size();
    }

    @Test
    void a_429_with_Retry_After_is_waited_out_and_then_succeeds() {
        // One second: the shortest wait the header can ask for, and 10 times the backoff a first retry would wait
        long pause = 1;
        var before = pod.metrics();
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).inScenario("rate limited")
                .whenScenarioStateIs(STARTED).willSetStateTo("allowed")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", String.valueOf(pause))));

        var answer = pod.ambassador("/images/latest");

        assertThat(answer.status() == 200 && answer.took().compareTo(Duration.ofSeconds(pause)) >= 0)
                .withFailMessage("after a 429 with Retry-After: %d expected the retry to wait %d s and succeed; got %s; "
                        + "does RetryAfter.requested() read whole seconds?", pause, pause, answer.summary())
                .isTrue();
        var after = pod.metrics();
        double retries = after.increaseSince(before, "ambassador_retries_total");
        assertThat(retries).withFailMessage("one 429, then a success: expected ambassador_retries_total to rise by 1; "
                + "it rose by %.0f", retries).isEqualTo(1);
        double rateLimited =
                after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "rate_limited");
        assertThat(rateLimited).withFailMessage("one 429: expected ambassador_upstream_attempts_total"
                + "{outcome=\"rate_limited\"} to rise by 1; it rose by %.0f", rateLimited).isEqualTo(1);
        assertThat(searchesSeen()).withFailMessage("expected 2 searches in the mock's journal (the 429, then the "
                + "retry); it has %d", searchesSeen()).isEqualTo(2);
    }

    @Test
    void a_Retry_After_longer_than_the_cap_is_passed_to_the_caller_instead_of_waited() {
        pod.catApiMock().register(get(urlPathEqualTo(SEARCH)).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(searchesSeen()).withFailMessage("the upstream asked for a 60 s pause, over RETRY_AFTER_MAX_MS (%s), "
                + "so expected no retry; the mock saw %d searches; does RetryAfter.requested() read the header?",
                seconds(millis(LabPod.AMBASSADOR_SETTINGS, "RETRY_AFTER_MAX_MS")), searchesSeen()).isEqualTo(1);
        assertThat(answer.status() == 503 && "60".equals(answer.header("Retry-After")))
                .withFailMessage("expected the caller to get a 503 with the upstream's Retry-After: 60 passed on; "
                        + "got %s with Retry-After: %s", answer.summary(), answer.header("Retry-After"))
                .isTrue();
        assertThat(answer.took()).withFailMessage("a wait over the cap is passed on, not waited: expected the 503 in "
                + "under 2 s; it took %d ms", answer.took().toMillis()).isLessThan(Duration.ofSeconds(2));
    }
}
