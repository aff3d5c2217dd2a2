package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.images.LabImages;
import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.LabPod;
import dev.ambassadorlab.labtests.pod.Metrics;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 01: one request through the whole pod, and an app that answers JSON whatever its ambassador does. Here the
 * app reaches its ambassador through the Toxiproxy proxy "ambassador", so the scenarios can break that link.
 */
@Tag("exercise-01")
class FirstContactIT extends ChaosTest {
    // Short, to keep the slow scenario quick, yet over 5 times the slowest answer the app must wait for here (the
    // unreachable upstream's 503, after three refused attempts: 0.3 s)
    private static final int APP_TIMEOUT_MS = 2000;

    @Override
    protected Map<String, String> appSettings() {
        return Map.of("AMBASSADOR_URL", LabPod.AMBASSADOR_VIA_PROXY, "AMBASSADOR_TIMEOUT_MS", String.valueOf(APP_TIMEOUT_MS));
    }

    private static void assertJsonError(Answer answer, int status, String error, String question) {
        assertThat(answer.status() == status && error.equals(answer.error())
                && String.valueOf(answer.header("Content-Type")).startsWith("application/json"))
                .withFailMessage("expected a JSON %d \"%s\" from the app; got %s: %s. %s", status, error,
                        answer.summary(), abbreviate(answer.body()), question)
                .isTrue();
        assertThat(answer.body()).as("the app's JSON error should say why in a \"reason\", and show no stack trace "
                + "or HTML page").contains("\"reason\":").doesNotContain("Exception", "\tat ", "<html");
    }

    private static void expectRiseByOne(Metrics before, Metrics after, String why, String name, String... labels) {
        double rise = after.increaseSince(before, name, labels);
        assertThat(rise).withFailMessage("%s, so expected %s%s to rise by 1; it rose by %.0f", why, name,
                labels.length == 0 ? "" : "{" + labels[0] + "=\"" + labels[1] + "\"}", rise).isEqualTo(1);
    }

    private static String abbreviate(String body) {
        return body.length() > 120 ? body.substring(0, 120) + "…" : body;
    }

    @Test
    void the_app_gets_a_cat_through_its_ambassador_and_every_counter_moves_by_one() throws Exception {
        var before = pod.metrics();

        var answer = pod.app("/images/latest");

        assertThat(answer.status()).withFailMessage("expected GET /images/latest on the app to answer 200 with a cat; "
                + "got %s: %s", answer.summary(), abbreviate(answer.body())).isEqualTo(200);
        String id = answer.text("image_id");
        var after = pod.metrics();
        expectRiseByOne(before, after, "one cat fetched", "ambassador_requests_total", "status", "success");
        expectRiseByOne(before, after, "one image saved", "ambassador_images_saved_total");
        double retries = after.increaseSince(before, "ambassador_retries_total");
        assertThat(retries).withFailMessage("a healthy upstream needs no retry; ambassador_retries_total rose by %.0f",
                retries).isZero();
        assertThat(pod.catApiMock().find(getRequestedFor(urlPathEqualTo("/v1/images/search"))))
                .as("the searches in the mock's journal: one").hasSize(1);
        assertThat(pod.catApiMock().find(getRequestedFor(urlPathMatching("/images/.*"))))
                .as("the image downloads in the mock's journal: one").hasSize(1);

        byte[] original = Files.readAllBytes(LabPod.ROOT.resolve("mock-cat-api/wiremock/__files/images/" + id + ".jpg"));
        assertThat(pod.savedFiles()).as("the files in IMAGES_DIR: exactly the cat %s", id)
                .containsExactly(LabPod.IMAGES_DIR + "/" + id + ".jpg");
        assertThat(pod.sha256InAmbassador(LabPod.IMAGES_DIR + "/" + id + ".jpg"))
                .as("the saved file is the mock's JPEG, byte for byte")
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original)));
    }

    @Test
    void the_toxiproxy_in_the_pod_is_the_real_server_at_the_expected_version() throws Exception {
        assertThat(pod.toxiproxy().version()).as("the version of the pod's Toxiproxy server")
                .contains(LabImages.toxiproxyVersion());
    }

    @Test
    void an_unreachable_upstream_reaches_the_app_as_the_ambassadors_json_503() throws Exception {
        pod.catApiProxy().disable();

        assertJsonError(pod.app("/images/latest", NO_STALE), 503, "upstream_unavailable",
                "The app should pass the ambassador's JSON answers through as they are.");
    }

    @Test
    void when_the_ambassador_cannot_be_reached_the_app_answers_a_json_502() throws Exception {
        pod.ambassadorProxy().disable();

        assertJsonError(pod.app("/images/latest"), 502, "ambassador_unreachable",
                "Does AmbassadorClient.get() catch ConnectException and answer Answer.error(502, ...)?");
    }

    @Test
    void when_the_ambassador_is_too_slow_the_app_answers_a_json_504_within_its_own_timeout() throws Exception {
        pod.ambassadorProxy().toxics().latency("slow ambassador", ToxicDirection.DOWNSTREAM, 10_000);

        Answer answer = pod.app("/images/latest");

        assertJsonError(answer, 504, "ambassador_timeout",
                "Does AmbassadorClient.get() catch InterruptedIOException (a timeout) and answer Answer.error(504, ...)?");
        assertThat(answer.took().toMillis()).as("the app's own timeout is %d ms", APP_TIMEOUT_MS)
                .isLessThan(APP_TIMEOUT_MS + 2000);
    }

    @Test
    void when_the_ambassador_answers_something_that_is_not_json_the_app_answers_a_json_502() throws Exception {
        // WireMock has no mapping for /images/latest: it answers 404 with a plain-text explanation
        pod.ambassadorProxy().setUpstream("wiremock:8080");

        assertJsonError(pod.app("/images/latest"), 502, "ambassador_bad_answer",
                "Does Answer.relay() refuse an answer that is not JSON?");
    }
}
