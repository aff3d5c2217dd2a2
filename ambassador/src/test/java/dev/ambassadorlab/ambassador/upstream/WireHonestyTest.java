package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.TreeSet;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.search;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request on the wire is one the policies counted, and what the ambassador keeps per upstream is bounded by
 * its configuration, not by what upstream answers say.
 */
class WireHonestyTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_BASE_DELAY_MS", "10");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void aPostAnswered503WithRetryAfterZeroIsSentExactlyOnce() {
        catApi.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "0").body("busy").build());
        catApi.enqueue(json("{\"id\":1}"));

        var answer = pod.ambassador().post("/v1/votes", "{\"image_id\":\"x1\",\"value\":1}");

        assertThat(catApi.getRequestCount()).as("POSTs the upstream received").isEqualTo(1);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(pod.ambassador().metric("ambassador_upstream_attempts_total")).isEqualTo(1.0);
        assertThat(pod.ambassador().accessLog()).contains("\"attempts\":1");
    }

    @Test
    void aGetAnswered503WithRetryAfterZeroIsRetriedByThePolicyAndCounted() {
        catApi.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "00").build());
        catApi.enqueue(json("[{\"id\":\"abys\"}]"));

        var answer = pod.ambassador().get("/v1/breeds");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(catApi.getRequestCount()).isEqualTo(2);
        assertThat(pod.ambassador().metric("ambassador_retries_total")).as("the resend is a counted retry").isEqualTo(1.0);
        assertThat(pod.ambassador().metric("ambassador_upstream_attempts_total")).isEqualTo(2.0);
    }

    @Test
    void imageHostsUnderOnePatternShareOneUpstreamHoweverManyThereAre() {
        var ambassador = pod.start("IMAGE_HOSTS", "*.example.test", "RETRY_MAX_RETRIES", "0", "FALLBACK_ENABLED", "false");
        for (int i = 0; i < 12; i++) {
            catApi.enqueue(search("x" + i, "https://host" + i + ".example.test/x" + i + ".jpg"));
            assertThat(ambassador.get("/images/latest").status()).as("host%d.example.test cannot be resolved", i)
                    .isEqualTo(503);
        }

        assertThat(upstreamLabels(ambassador.metrics())).containsExactlyInAnyOrder(
                catApi.getHostName() + ":" + catApi.getPort(), "*.example.test:443");
    }

    private static Set<String> upstreamLabels(String metrics) {
        Set<String> labels = new TreeSet<>();
        Matcher label = Pattern.compile("upstream=\"([^\"]*)\"").matcher(metrics);
        while (label.find()) labels.add(label.group(1));
        return labels;
    }
}
