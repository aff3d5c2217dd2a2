package dev.ambassadorlab.labtests;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Exercise 08: when the upstream is down, the last good image, marked stale. */
@Tag("exercise-08")
class FallbackIT extends ChaosTest {

    @Test
    void after_one_success_an_outage_serves_the_last_good_image_marked_stale() throws Exception {
        // Baseline: one fresh cat
        var fresh = pod.ambassador("/images/latest");
        assertThat(fresh.status()).withFailMessage("before any fault, expected GET /images/latest to answer 200 with a "
                + "fresh cat; got %s", fresh.summary()).isEqualTo(200);
        String id = fresh.text("image_id");
        var before = pod.metrics();

        // Fault: the upstream goes away
        pod.catApiProxy().disable();
        var stale = pod.app("/images/latest");

        // The caller still gets that cat, marked stale, through the app
        assertThat(stale.status()).withFailMessage("with the upstream down after one success, expected the last good "
                + "image marked stale (200); got %s; does your fetch() run under the fallback policy?", stale.summary())
                .isEqualTo(200);
        assertThat(stale.header("X-Ambassador-Stale")).withFailMessage("the stale answer should carry the header "
                + "X-Ambassador-Stale: true; it has %s", stale.header("X-Ambassador-Stale")).isEqualTo("true");
        assertThat(stale.body()).as("the stale answer should be the last good image, %s, with \"stale\": true", id)
                .contains("\"image_id\":\"" + id + "\"", "\"stale\":true");
        var after = pod.metrics();
        double fallbacks = after.increaseSince(before, "ambassador_fallbacks_total");
        assertThat(fallbacks).withFailMessage("one stale answer, so expected ambassador_fallbacks_total to rise by 1; "
                + "it rose by %.0f; does your fallback count what it serves?", fallbacks).isEqualTo(1);
        double staleRequests = after.increaseSince(before, "ambassador_requests_total", "status", "stale");
        assertThat(staleRequests).withFailMessage("one stale answer, so expected ambassador_requests_total"
                + "{status=\"stale\"} to rise by 1; it rose by %.0f", staleRequests).isEqualTo(1);

        // A caller that wants fresh data or nothing gets the error instead
        var freshOrNothing = pod.app("/images/latest", NO_STALE);
        assertThat(freshOrNothing.status()).withFailMessage("with the upstream still down, a caller that sends "
                + "Cache-Control: no-cache expected the error (503), not the stale image; got %s; does your fetch() "
                + "skip the fallback when the caller does not accept stale answers?", freshOrNothing.summary())
                .isEqualTo(503);

        // Heal: fresh answers again
        pod.catApiProxy().enable();
        await("a fresh answer after healing").atMost(Duration.ofSeconds(15))
                .until(() -> pod.ambassador("/images/latest").header("X-Ambassador-Stale") == null);
    }
}
