package dev.ambassadorlab.labtests;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.LabPod;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 07: the ambassador holds the key and checks everything the upstream says before it touches the disk or the
 * network. Every refusal is a JSON 502 that names the problem, and nothing lands outside the images directory.
 */
@Tag("exercise-07")
class SecurityIT extends ChaosTest {

    private void searchAnswers(String json) {
        pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1).willReturn(okJson(json)));
    }

    private void assertRefused(Answer answer, String error, String what, String question) {
        assertThat(answer.status() == 502 && error.equals(answer.error()))
                .withFailMessage("expected the ambassador to refuse %s with a 502 \"%s\"; got %s; %s", what, error,
                        answer.summary(), question)
                .isTrue();
        assertThat(answer.body()).as("the refusal should say why in a \"reason\", with no stack trace")
                .contains("\"reason\":").doesNotContain("Exception", "\tat ");
        assertThat(pod.savedFiles()).as("files in the images directory").isEmpty();
    }

    @Test
    void an_image_id_that_climbs_out_of_the_directory_is_refused() {
        searchAnswers("[{\"id\":\"../../etc/cron.d/x\",\"url\":\"http://toxiproxy:8666/images/tabby.jpg\"}]");

        assertRefused(pod.app("/images/latest", NO_STALE), "invalid_image_id", "the image id \"../../etc/cron.d/x\"",
                "does ImageId accept only ids that match SAFE?");
    }

    @Test
    void a_file_url_is_refused() {
        searchAnswers("[{\"id\":\"x1\",\"url\":\"file:///etc/passwd\"}]");

        assertRefused(pod.ambassador("/images/latest", NO_STALE), "image_url_not_allowed", "a file: URL",
                "does ImageHostAllowlist.check() allow only http and https?");
    }

    @Test
    void an_image_on_a_host_that_is_not_allowed_is_not_downloaded() {
        // wiremock:8080 is reachable from the ambassador, but only The Cat API's origin (toxiproxy:8666) is allowed
        searchAnswers("[{\"id\":\"x1\",\"url\":\"http://wiremock:8080/images/tabby.jpg\"}]");

        Answer answer = pod.ambassador("/images/latest", NO_STALE);

        assertRefused(answer, "image_url_not_allowed", "an image on the host wiremock (not an allowed origin)",
                "does ImageHostAllowlist.check() refuse a URL that no allowed origin admits?");
        assertThat(pod.catApiMock().find(getRequestedFor(urlPathMatching("/images/.*"))))
                .as("downloads in the mock's journal: none, since the URL is refused before any download").isEmpty();
    }

    @Test
    void an_image_url_aimed_at_toxiproxys_admin_port_is_refused() {
        // The Cat API's host, another port: Toxiproxy's admin API, which must stay out of reach of upstream answers
        searchAnswers("[{\"id\":\"x1\",\"url\":\"http://toxiproxy:8474/proxies\"}]");
        var before = pod.metrics();

        Answer answer = pod.ambassador("/images/latest", NO_STALE);

        assertRefused(answer, "image_url_not_allowed", "an image URL on toxiproxy:8474 (the allowed host, another port)",
                "does ImageHostAllowlist.check() compare the whole origin (scheme, host and port), not the host alone?");
        assertThat(pod.metrics().increaseSince(before, "ambassador_upstream_attempts_total"))
                .as("attempts: the search only").isEqualTo(1);
    }

    @Test
    void the_api_key_goes_to_the_cat_api_and_nowhere_else() {
        Answer image = pod.ambassador("/images/latest");
        Answer breeds = pod.ambassador("/v1/breeds", "x-api-key", "a-key-the-caller-made-up");

        List<LoggedRequest> searches = pod.catApiMock().find(getRequestedFor(urlPathEqualTo("/v1/images/search")));
        String sent = searches.isEmpty() ? null : searches.get(0).getHeader("x-api-key");
        assertThat(sent).withFailMessage("expected The Cat API to receive x-api-key: %s on the search; it received %s; "
                + "does ApiKeyInjector add the key?", LabPod.API_KEY, sent).isEqualTo(LabPod.API_KEY);
        List<String> passedOn = pod.catApiMock().find(getRequestedFor(urlPathEqualTo("/v1/breeds"))).get(0)
                .header("x-api-key").values();
        assertThat(passedOn).withFailMessage("a caller's own x-api-key must be replaced by the ambassador's; The Cat "
                + "API received %s; does ApiKeyInjector remove the caller's header first?", passedOn)
                .containsExactly(LabPod.API_KEY);
        for (String shown : List.of(image.body(), image.headers().map().toString(), breeds.body(),
                pod.admin("/metrics").body())) {
            assertThat(shown).as("what a caller can see").doesNotContain(LabPod.API_KEY);
        }
    }

    @Test
    void a_search_answer_that_is_not_json_is_a_502() {
        pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>oops")));

        assertRefused(pod.app("/images/latest", NO_STALE), "malformed_search_answer", "a search answer that is not JSON",
                "");
    }

    @Test
    void a_truncated_download_is_a_502_and_leaves_no_file() throws Exception {
        // Given each connection is cut after 1500 bytes: the search answer fits, no cat (8 to 11 KB) does
        var before = pod.metrics();
        pod.catApiProxy().toxics().limitData("cut", ToxicDirection.DOWNSTREAM, 1500);

        var answer = pod.ambassador("/images/latest", NO_STALE);

        assertRefused(answer, "truncated_answer", "an image cut short", "");
        double truncated = pod.metrics().increaseSince(before, "ambassador_upstream_attempts_total", "outcome",
                "truncated");
        assertThat(truncated).withFailMessage("every download is cut short, so expected 3 attempts (1 + 2 retries) in "
                + "ambassador_upstream_attempts_total{outcome=\"truncated\"}; /metrics shows %.0f", truncated)
                .isEqualTo(3);
        assertThat(pod.catApiMock().find(getRequestedFor(urlPathMatching("/images/.*"))))
                .as("downloads in the mock's journal: 3, the first and 2 retries").hasSize(3);
    }
}
