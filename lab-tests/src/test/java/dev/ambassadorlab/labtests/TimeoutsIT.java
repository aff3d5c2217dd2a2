package dev.ambassadorlab.labtests;

import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 03: slow connections, made by Toxiproxy on the real wire. The faults are sized far from the pod's
 * settings (1.5 s per attempt, 6 s per request), so the outcome does not depend on the machine's speed.
 */
@Tag("exercise-03")
class TimeoutsIT extends ChaosTest {
    private static final Duration DEADLINE = Duration.ofMillis(6000);

    @Test
    void latency_beyond_the_attempt_timeout_gives_a_504_within_the_deadline_with_every_attempt_counted() throws Exception {
        var before = pod.metrics();
        pod.catApiProxy().toxics().latency("slow", ToxicDirection.DOWNSTREAM, 8000);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(answer.status() == 504 && answer.took().compareTo(DEADLINE.plusSeconds(1)) < 0)
                .withFailMessage("with every answer 8 s late, expected a 504 in under 7 s (the 6 s deadline, plus 1 s "
                        + "to spare); got %s; does your forAttempt give each attempt ATTEMPT_TIMEOUT_MS (1.5 s here)?",
                        answer.summary())
                .isTrue();
        assertThat(answer.error()).withFailMessage("expected the 504's error to be \"upstream_timeout\" or "
                + "\"deadline_exceeded\"; it is %s", answer.error()).isIn("upstream_timeout", "deadline_exceeded");
        int searches = pod.catApiMock().find(getRequestedFor(urlPathEqualTo("/v1/images/search"))).size();
        var after = pod.metrics();
        double timedOut = after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "timeout");
        assertThat(timedOut).withFailMessage("expected 3 timed-out attempts (the first and 2 retries, 1.5 s each) "
                + "in ambassador_upstream_attempts_total{outcome=\"timeout\"}, one per search in the mock's "
                + "journal; /metrics shows %.0f, the journal %d", timedOut, searches).isEqualTo(searches).isEqualTo(3);
        double timeouts = after.increaseSince(before, "ambassador_requests_total", "status", "timeout");
        assertThat(timeouts).withFailMessage("one request timed out, so expected ambassador_requests_total"
                + "{status=\"timeout\"} to rise by 1; it rose by %.0f", timeouts).isEqualTo(1);
    }

    @Test
    void a_wait_between_attempts_that_would_reach_the_deadline_ends_the_request() {
        // Given each search takes 1 s and then asks for a 3 s pause: 1 + 3 + 1 + 3 s would pass the 6 s deadline
        for (String[] states : new String[][]{{STARTED, "second"}, {"second", "third"}}) {
            pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1).inScenario("paused")
                    .whenScenarioStateIs(states[0]).willSetStateTo(states[1])
                    .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "3").withFixedDelay(1000)));
        }

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(answer.status() == 504 && "deadline_exceeded".equals(answer.error())
                && answer.took().compareTo(DEADLINE.plusMillis(800)) < 0)
                .withFailMessage("expected a 504 \"deadline_exceeded\" in under 6.8 s (the second 3 s wait would end "
                        + "past the 6 s deadline, plus 0.8 s to spare); got %s; does your leavesTimeAfter refuse a wait "
                        + "that reaches the deadline?", answer.summary())
                .isTrue();
    }

    @Test
    void a_slow_but_steady_download_completes_within_budget() throws Exception {
        var before = pod.metrics();
        pod.catApiProxy().toxics().bandwidth("narrow", ToxicDirection.DOWNSTREAM, 24); // KB/s: an 11 KB cat takes ~0.5 s

        var answer = pod.ambassador("/images/latest");

        assertThat(answer.status()).withFailMessage("with a 24 KB/s download (an 11 KB cat in about 0.5 s, well within "
                + "the 1.5 s attempt timeout), expected a 200; got %s: %s", answer.summary(), answer.body())
                .isEqualTo(200);
        assertThat(answer.took()).withFailMessage("the narrow link should have slowed the answer past 0.25 s; it took "
                + "%d ms, so the fault was not on the wire", answer.took().toMillis())
                .isGreaterThan(Duration.ofMillis(250));
        double retries = pod.metrics().increaseSince(before, "ambassador_retries_total");
        assertThat(retries).withFailMessage("a slow but steady download needs no retry; ambassador_retries_total rose "
                + "by %.0f; is your attempt timeout shorter than ATTEMPT_TIMEOUT_MS (1.5 s here)?", retries).isZero();
        assertThat(pod.savedFiles()).as("the files in IMAGES_DIR after the download: exactly the cat %s",
                answer.text("image_id")).containsExactly("/images/" + answer.text("image_id") + ".jpg");
    }

    @Test
    void a_download_too_slow_for_the_budget_is_a_504_and_leaves_no_file() throws Exception {
        var before = pod.metrics();
        pod.catApiProxy().toxics().bandwidth("trickle", ToxicDirection.DOWNSTREAM, 2); // KB/s: a cat takes over 4 s

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertThat(answer.status()).withFailMessage("with a 2 KB/s download, expected a 504 once the attempts timed "
                + "out; got %s; does your forAttempt use ATTEMPT_TIMEOUT_MS?", answer.summary()).isEqualTo(504);
        var after = pod.metrics();
        double timedOut = after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "timeout");
        assertThat(timedOut).withFailMessage("with a 2 KB/s download (a cat takes over 4 s), expected at least 2 "
                + "attempts cut at the 1.5 s attempt timeout in ambassador_upstream_attempts_total"
                + "{outcome=\"timeout\"}; /metrics shows %.0f", timedOut).isGreaterThanOrEqualTo(2);
        assertThat(pod.savedFiles()).as("no image, and no half-written temporary file").isEmpty();
    }

    @Test
    void a_hung_upstream_reaches_the_app_as_the_ambassadors_json_504() throws Exception {
        pod.catApiProxy().toxics().latency("hang", ToxicDirection.DOWNSTREAM, 10_000);

        var answer = pod.app("/images/latest", NO_STALE);

        assertThat(answer.status()).withFailMessage("expected the ambassador's 504 to reach the app's caller; got %s; "
                + "does your forAttempt end attempts after ATTEMPT_TIMEOUT_MS?", answer.summary()).isEqualTo(504);
        assertThat(answer.header("Content-Type")).withFailMessage("the app should pass on the ambassador's JSON error; "
                + "its Content-Type is %s", answer.header("Content-Type")).startsWith("application/json");
        String appGaveUp = " (the app's own error: its ambassador said nothing within AMBASSADOR_TIMEOUT_MS, 8 s)";
        assertThat(answer.error()).withFailMessage("expected the ambassador's own 504, \"upstream_timeout\" or "
                + "\"deadline_exceeded\", to reach the app's caller; got %s%s; does your forAttempt end attempts after "
                + "ATTEMPT_TIMEOUT_MS?", answer.summary(), "ambassador_timeout".equals(answer.error()) ? appGaveUp : "")
                .isIn("upstream_timeout", "deadline_exceeded");
    }
}
