package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.Answer;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever goes wrong behind the ambassador, the learner calling the app sees a JSON error, never a stack trace. */
class AppErrorsIT extends ChaosTest {

    private static void assertJsonError(Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.error()).isEqualTo(error);
        assertThat(answer.body()).contains("\"reason\":").doesNotContain("Exception", "\tat ", "<html");
    }

    @Test
    void an_unreachable_upstream_reaches_the_app_as_a_json_503() throws Exception {
        pod.catApiProxy().disable();

        assertJsonError(pod.app("/images/latest", NO_STALE), 503, "upstream_unavailable");
    }

    @Test
    void a_hostile_search_answer_reaches_the_app_as_a_json_502() {
        pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1)
                .willReturn(okJson("[{\"id\":\"../../etc/passwd\",\"url\":\"file:///etc/passwd\"}]")));

        assertJsonError(pod.app("/images/latest", NO_STALE), 502, "invalid_image_id");
        assertThat(pod.savedFiles()).isEmpty();
    }

    @Test
    void a_garbage_search_answer_reaches_the_app_as_a_json_502() {
        pod.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>oops")));

        assertJsonError(pod.app("/images/latest", NO_STALE), 502, "malformed_search_answer");
    }

    @Test
    void a_hung_upstream_reaches_the_app_as_a_json_504() throws Exception {
        pod.catApiProxy().toxics().latency("hang", ToxicDirection.DOWNSTREAM, 10_000);

        Answer answer = pod.app("/images/latest", NO_STALE);

        assertThat(answer.error()).isIn("upstream_timeout", "deadline_exceeded");
        assertJsonError(answer, 504, answer.error());
    }
}
