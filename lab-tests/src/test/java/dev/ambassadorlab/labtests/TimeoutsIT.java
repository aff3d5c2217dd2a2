package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.LabPod;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 03: slow connections, made by Toxiproxy on the real wire. The clocks are short here (0.5 s per attempt,
 * 2 s per request; 2 s and 6 s by default) to keep the check quick, and every fault is sized at least 3 times away
 * from them, so the outcome does not depend on the machine's speed.
 */
@Tag("exercise-03")
class TimeoutsIT extends ChaosTest {
    private static final Map<String, String> SETTINGS = Map.of("ATTEMPT_TIMEOUT_MS", "500", "REQUEST_DEADLINE_MS", "2000");
    private static final Duration ATTEMPT_TIMEOUT = millis(SETTINGS, "ATTEMPT_TIMEOUT_MS");
    private static final Duration DEADLINE = millis(SETTINGS, "REQUEST_DEADLINE_MS");
    private static final int ATTEMPTS = 1 + Integer.parseInt(LabPod.AMBASSADOR_SETTINGS.get("RETRY_MAX_RETRIES"));

    @Override
    protected Map<String, String> ambassadorSettings() {
        return SETTINGS;
    }

    @Test
    void latency_beyond_the_attempt_timeout_gives_a_504_within_the_deadline_with_every_attempt_counted() throws Exception {
        var before = pod.metrics();
        pod.catApiProxy().toxics().latency("slow", ToxicDirection.DOWNSTREAM, 8000);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        Duration spare = Duration.ofSeconds(1);
        assertThat(answer.status() == 504 && answer.took().compareTo(DEADLINE.plus(spare)) < 0)
                .withFailMessage("with every answer 8 s late, expected a 504 in under %s (the %s deadline, plus %s to "
                        + "spare); got %s; does your forAttempt give each attempt ATTEMPT_TIMEOUT_MS (%s here)?",
                        seconds(DEADLINE.plus(spare)), seconds(DEADLINE), seconds(spare), answer.summary(),
                        seconds(ATTEMPT_TIMEOUT))
                .isTrue();
        assertThat(answer.error()).withFailMessage("expected the 504's error to be \"upstream_timeout\" or "
                + "\"deadline_exceeded\"; it is %s", answer.error()).isIn("upstream_timeout", "deadline_exceeded");
        int searches = pod.catApiMock().find(getRequestedFor(urlPathEqualTo("/v1/images/search"))).size();
        var after = pod.metrics();
        double timedOut = after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "timeout");
        assertThat(timedOut).withFailMessage("expected %d timed-out attempts (the first and %d retries, %s each) "
                + "in ambassador_upstream_attempts_total{outcome=\"timeout\"}, one per search in the mock's "
                + "journal; /metrics shows %.0f, the journal %d", ATTEMPTS, ATTEMPTS - 1, seconds(ATTEMPT_TIMEOUT),
                timedOut, searches).isEqualTo(searches).isEqualTo(ATTEMPTS);
        double timeouts = after.increaseSince(before, "ambassador_requests_total", "status", "timeout");
        assertThat(timeouts).withFailMessage("one request timed out, so expected ambassador_requests_total"
                + "{status=\"timeout\"} to rise by 1; it rose by %.0f", timeouts).isEqualTo(1);
    }

    @Test
    void a_wait_between_attempts_that_would_reach_the_deadline_ends_the_request() {
        // Given each search takes 0.1 s (a fifth of the attempt timeout) and then asks for a 1 s pause: the second
        // pause, asked for at about 1.2 s, would end past the 2 s deadline (0.1 + 1 + 0.1 + 1 s)
        Duration searchTakes = Duration.ofMillis(100);
        Duration pause = Duration.ofSeconds(1);
        for (String[] states : new String[][]{{STARTED, "second"}, {"second", "third"}}) {
            pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1).inScenario("paused")
                    .whenScenarioStateIs(states[0]).willSetStateTo(states[1])
                    .willReturn(aResponse().withStatus(503).withHeader("Retry-After", String.valueOf(pause.toSeconds()))
                            .withFixedDelay((int) searchTakes.toMillis())));
        }

        var answer = pod.ambassador("/images/latest", NO_STALE);

        // Sleeping that pause and giving up only then would answer at 2.2 s at the earliest: after the deadline.
        assertThat(answer.status() == 504 && "deadline_exceeded".equals(answer.error())
                && answer.took().compareTo(DEADLINE) < 0)
                .withFailMessage("expected a 504 \"deadline_exceeded\" before the %s deadline (the second %s wait, "
                        + "asked for at about %s, would end past it); got %s; does your leavesTimeAfter refuse a wait "
                        + "that reaches the deadline?", seconds(DEADLINE), seconds(pause),
                        seconds(searchTakes.multipliedBy(2).plus(pause)), answer.summary())
                .isTrue();
    }

    @Test
    void a_slow_but_steady_download_completes_within_budget() throws Exception {
        var before = pod.metrics();
        // KB/s: the largest cat (11 KB) arrives in about 0.14 s, under a third of the attempt timeout
        int rate = 80;
        pod.catApiProxy().toxics().bandwidth("narrow", ToxicDirection.DOWNSTREAM, rate);

        var answer = pod.ambassador("/images/latest");

        assertThat(answer.status()).withFailMessage("with a %d KB/s download (an 11 KB cat in about 0.14 s, well "
                + "within the %s attempt timeout), expected a 200; got %s: %s", rate, seconds(ATTEMPT_TIMEOUT),
                answer.summary(), answer.body()).isEqualTo(200);
        // The smallest cat (8 KB) takes over 0.1 s at this rate; an answer without the toxic takes a few ms.
        assertThat(answer.took()).withFailMessage("the narrow link should have slowed the answer past 0.08 s; it took "
                + "%d ms, so the fault was not on the wire", answer.took().toMillis())
                .isGreaterThan(Duration.ofMillis(80));
        double retries = pod.metrics().increaseSince(before, "ambassador_retries_total");
        assertThat(retries).withFailMessage("a slow but steady download needs no retry; ambassador_retries_total rose "
                + "by %.0f; is your attempt timeout shorter than ATTEMPT_TIMEOUT_MS (%s here)?", retries,
                seconds(ATTEMPT_TIMEOUT)).isZero();
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
                + "attempts cut at the %s attempt timeout in ambassador_upstream_attempts_total{outcome=\"timeout\"}; "
                + "/metrics shows %.0f", seconds(ATTEMPT_TIMEOUT), timedOut).isGreaterThanOrEqualTo(2);
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
        String appGaveUp = " (the app's own error: its ambassador said nothing within AMBASSADOR_TIMEOUT_MS, "
                + seconds(millis(LabPod.APP_SETTINGS, "AMBASSADOR_TIMEOUT_MS")) + ")";
        assertThat(answer.error()).withFailMessage("expected the ambassador's own 504, \"upstream_timeout\" or "
                + "\"deadline_exceeded\", to reach the app's caller; got %s%s; does your forAttempt end attempts after "
                + "ATTEMPT_TIMEOUT_MS?", answer.summary(), "ambassador_timeout".equals(answer.error()) ? appGaveUp : "")
                .isIn("upstream_timeout", "deadline_exceeded");
    }
}
