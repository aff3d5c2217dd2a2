package dev.ambassadorlab.labtests;

import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and broken connections, made by Toxiproxy on the real wire. The faults are sized far from the suite's
 * settings (1.5 s per attempt, 6 s per request), so the outcome does not depend on the machine's speed.
 */
class TimeoutsIT extends ChaosTest {
    private static final Duration DEADLINE = Duration.ofMillis(6000);

    @Test
    void latency_beyond_the_attempt_timeout_gives_a_504_within_the_deadline_with_every_attempt_counted() throws Exception {
        var before = pod.metrics();
        pod.catApiProxy().toxics().latency("slow", ToxicDirection.DOWNSTREAM, 8000);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(answer.status()).as(answer.body()).isEqualTo(504);
        assertThat(answer.error()).isIn("upstream_timeout", "deadline_exceeded");
        assertThat(answer.took()).as("within the deadline (plus scheduling slack)").isLessThan(DEADLINE.plusSeconds(1));
        int searches = pod.catApiMock().find(getRequestedFor(urlPathEqualTo("/v1/images/search"))).size();
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "timeout"))
                .as("timed-out attempts, each one also in the mock's journal").isEqualTo(searches).isEqualTo(3);
        assertThat(after.increaseSince(before, "ambassador_requests_total", "status", "timeout")).isEqualTo(1);
    }

    @Test
    void a_slow_but_steady_download_completes_within_budget() throws Exception {
        var before = pod.metrics();
        pod.catApiProxy().toxics().bandwidth("narrow", ToxicDirection.DOWNSTREAM, 24); // KB/s: an 11 KB cat takes ~0.5 s

        var answer = pod.ambassador("/images/latest");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.took()).isGreaterThan(Duration.ofMillis(250));
        assertThat(pod.metrics().increaseSince(before, "ambassador_retries_total")).isZero();
        String id = answer.body().replaceAll(".*\"image_id\":\"([^\"]+)\".*", "$1");
        assertThat(pod.savedFiles()).containsExactly("/images/" + id + ".jpg");
    }

    @Test
    void a_download_too_slow_for_the_budget_is_a_504_and_leaves_no_file() throws Exception {
        var before = pod.metrics();
        pod.catApiProxy().toxics().bandwidth("trickle", ToxicDirection.DOWNSTREAM, 2); // KB/s: a cat takes over 4 s

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(answer.status()).as(answer.body()).isEqualTo(504);
        assertThat(pod.metrics().increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "timeout"))
                .isGreaterThanOrEqualTo(2);
        assertThat(pod.savedFiles()).as("no image, and no half-written temporary file").isEmpty();
    }

    @Test
    void a_truncated_download_is_a_502_and_leaves_no_file() throws Exception {
        // Given each connection is cut after 1500 bytes: the search answer fits, no cat (8 to 11 KB) does
        var before = pod.metrics();
        pod.catApiProxy().toxics().limitData("cut", ToxicDirection.DOWNSTREAM, 1500);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        assertThat(answer.error()).isEqualTo("truncated_answer");
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "truncated")).isEqualTo(3);
        assertThat(pod.catApiMock().find(getRequestedFor(urlPathMatching("/images/.*")))).hasSize(3);
        assertThat(pod.savedFiles()).as("no image, and no half-written temporary file").isEmpty();
    }
}
