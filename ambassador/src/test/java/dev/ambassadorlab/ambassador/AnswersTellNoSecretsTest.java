package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.AmbassadorHarness;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.search;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app passes the ambassador's answers on to its own callers, so an answer, its reason and a stale image's
 * {@code stale_reason} hold the ambassador's own words only: never the key, never what an upstream or a library wrote
 * (a status line, a header, an exception's message), never the pod's addresses, IMAGES_DIR or IMAGE_HOSTS. The
 * request log has the detail, with the key masked.
 */
class AnswersTellNoSecretsTest {
    private static final String KEY = "live_N0t-For-Any-Caller-9876543210";
    private static final String ALLOWED_HOST = "cdn.internal.example";
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("CAT_API_KEY", KEY, "RETRY_MAX_RETRIES", "0",
            "IMAGE_HOSTS", "https://" + ALLOWED_HOST);
    private final MockWebServer catApi = pod.catApi();

    @Test
    void aStatusLineThatQuotesTheKeyIsA502WithoutItAndNeverHiddenBehindAStaleImage() {
        var ambassador = pod.ambassador();
        aGoodImageFirst(ambassador);
        catApi.enqueue(new MockResponse.Builder().status("HTTP/1.1 5OO " + KEY).body("[]").build());

        var answer = ambassador.get("/images/latest");

        Expect.status(answer, 502, "a search answered with the status line \"HTTP/1.1 5OO <the key>\"");
        assertThat(answer.body()).contains("\"error\":\"bad_upstream_answer\"");
        assertTellsNothing(answer, ambassador);
        assertThat(ambassador.accessLog()).contains("[api-key]").doesNotContain(KEY);
    }

    @Test
    void aDeadUpstreamsStaleReasonAndErrorNameTheCallNotItsAddress() throws IOException {
        var ambassador = pod.ambassador();
        aGoodImageFirst(ambassador);
        String address = catApi.getHostName() + ":" + catApi.getPort();
        catApi.close();

        var stale = ambassador.get("/images/latest");
        var error = ambassador.get("/images/latest", "Cache-Control", "no-cache");

        Expect.status(stale, 200, "a Cat API that refuses connections, after one good image");
        String staleReason = stale.body().replaceFirst(".*\"stale_reason\":\"([^\"]*)\".*", "$1");
        Expect.status(error, 503, "a Cat API that refuses connections and a caller that wants no stale image");
        assertThat(error.body()).contains("\"error\":\"upstream_unavailable\"");
        for (String reason : new String[]{staleReason, error.body()}) {
            assertThat(reason).as("the reason").contains("The Cat API's search")
                    .doesNotContain(address, "127.0.0.1", "localhost", "Connection", "refused", "Exception");
        }
        assertThat(ambassador.accessLog()).as("the log keeps the detail").contains("\"detail\":");
    }

    @Test
    void a503WithARetryAfterTooLongForAnIntIsA503WithTheWaitNotA500() {
        catApi.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "9999999999").body("{}").build());

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 503, "a search answered 503 with Retry-After: 9999999999");
        assertThat(answer.body()).contains("\"error\":\"upstream_unavailable\"");
        assertThat(answer.header("Retry-After")).as("the wait, passed on").isNotNull();
    }

    @Test
    void a503WithARetryAfterTooLongForAnIntServesTheLastGoodImage() {
        var ambassador = pod.ambassador();
        aGoodImageFirst(ambassador);
        catApi.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "9999999999").body("{}").build());

        var answer = ambassador.get("/images/latest");

        Expect.status(answer, 200, "a search answered 503 with Retry-After: 9999999999 after one good image");
        assertThat(answer.body()).contains("\"stale\":true");
    }

    @Test
    void aRefusedImageUrlNamesTheRuleNotTheUrlOrTheAllowlist() {
        catApi.enqueue(search("x1", "http://evil-" + KEY.toLowerCase(Locale.ROOT) + ".example:8081/x1.jpg"));

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 502, "an image URL on a host IMAGE_HOSTS does not allow");
        assertThat(answer.body()).contains("\"error\":\"image_url_not_allowed\"", "IMAGE_HOSTS")
                .doesNotContain("evil", "8081", ALLOWED_HOST);
        assertTellsNothing(answer, pod.ambassador());
    }

    @Test
    void anImageUrlThatCarriesTheKeyIsRefusedAndNeverRequested() {
        catApi.enqueue(search("x1", catApi.url("/images/x1.jpg?k=" + KEY).toString()));

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 502, "an image URL on the Cat API's own origin with the key in its query");
        assertThat(answer.body()).contains("\"error\":\"image_url_not_allowed\"", "carries the API key");
        Expect.upstreamCalls(catApi, 1, "the search only: the URL with the key is never requested");
        assertTellsNothing(answer, pod.ambassador());
    }

    @Test
    void aHostileIdIsRefusedWithoutBeingEchoed() {
        catApi.enqueue(search("../../" + KEY, catApi.url("/x.jpg").toString()));

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 502, "an image id holding \"../\" and the key");
        assertThat(answer.body()).contains("\"error\":\"invalid_image_id\"").doesNotContain("../");
        assertTellsNothing(answer, pod.ambassador());
    }

    @Test
    void aContentTypeThatQuotesTheKeyIsNotEchoed() {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/" + KEY).body("x").build());

        var answer = pod.ambassador().get("/images/latest");

        Expect.status(answer, 502, "an image download labelled text/<the key>");
        assertThat(answer.body()).contains("\"error\":\"not_an_image\"");
        assertTellsNothing(answer, pod.ambassador());
    }

    @Test
    void aFailedSaveDoesNotShowImagesDir() throws IOException {
        Path images = pod.root().resolve("secret-volume-path");
        var ambassador = pod.start("IMAGES_DIR", images.toString());
        Files.delete(images);
        Files.writeString(images, "a file where the directory was");
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = ambassador.get("/images/latest");

        Expect.status(answer, 500, "an IMAGES_DIR that became a file");
        assertThat(answer.body()).contains("\"error\":\"storage_error\"").doesNotContain("secret-volume-path",
                pod.root().toString(), "Exception");
        assertThat(ambassador.accessLog()).as("the log says where").contains("secret-volume-path");
    }

    private void aGoodImageFirst(AmbassadorHarness ambassador) {
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        Expect.status(ambassador.get("/images/latest"), 200, "a healthy upstream and the cat tabby");
    }

    private static void assertTellsNothing(AmbassadorHarness.Answer answer, AmbassadorHarness ambassador) {
        String half = KEY.toLowerCase(Locale.ROOT).substring(KEY.length() / 2);
        assertThat((answer.headers() + answer.body()).toLowerCase(Locale.ROOT)).as("the answer, in any case")
                .doesNotContain(half);
        assertThat(answer.body()).as("no library's or system's words").doesNotContain("Exception", "\tat ");
        assertThat(ambassador.accessLog().toLowerCase(Locale.ROOT)).as("the request log").doesNotContain(half);
    }
}
