package dev.ambassadorlab.ambassador.security;

import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import dev.ambassadorlab.ambassador.config.ConfigException;
import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.search;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key goes to The Cat API and nowhere else: not to image hosts, the caller, the log, /metrics or an error. */
class ApiKeyTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings();
    private final MockWebServer catApi = pod.catApi();
    private static final String SECRET = "live_s3cr3t-KEY-0123456789";
    @TempDir
    Path dir;

    @Test
    void theKeyIsSentToTheCatApiOnlyAndNeverShown() throws Exception {
        try (var imageHost = new MockWebServer()) {
            imageHost.start();
            var ambassador = pod.start("CAT_API_KEY", SECRET, "RETRY_MAX_RETRIES", "0", "FALLBACK_ENABLED", "false",
                    "IMAGE_HOSTS", imageHost.url("/").toString());
            catApi.enqueue(searchOn(imageHost, "tabby"));
            imageHost.enqueue(jpeg());
            catApi.enqueue(status(401));
            catApi.enqueue(json("{\"echo\":\"ok\"}"));

            var image = ambassador.get("/images/latest");
            var refused = ambassador.get("/images/latest");
            ambassador.get("/v1/breeds", "x-api-key", "callers-own-key");

            assertThat(catApi.takeRequest().getHeaders().get("x-api-key"))
                    .as("the x-api-key header on the search sent to The Cat API (CAT_API_KEY)").isEqualTo(SECRET);
            assertThat(imageHost.takeRequest().getHeaders().get("x-api-key"))
                    .as("the x-api-key header on the download from the image host: the key is for The Cat API only")
                    .isNull();
            catApi.takeRequest();
            RecordedRequest passthrough = catApi.takeRequest();
            assertThat(passthrough.getHeaders().values("x-api-key"))
                    .as("the x-api-key on a /v1/breeds the caller sent with its own key: replaced by CAT_API_KEY, "
                            + "not added to").containsExactly(SECRET);

            Expect.status(refused, 502, "a 401 from the search (a wrong key)");
            assertThat(refused.body()).as("the 502's body, pointing at the key")
                    .contains("answered 401; check CAT_API_KEY");
            for (String seen : new String[]{image.body(), image.headers().toString(), refused.body(),
                    refused.headers().toString(), ambassador.accessLog(), ambassador.metrics(),
                    ambassador.config.toString()}) {
                assertThat(seen).as("what the ambassador shows (answers, headers, request log, /metrics, config): "
                        + "never the key").doesNotContain(SECRET);
            }
        }
    }

    @Test
    void theKeyGoesOnlyToUrlsUnderTheWholeCatApiUrlNotToItsHostsOtherPaths() throws Exception {
        var ambassador = pod.start("CAT_API_KEY", SECRET, "CAT_API_URL", catApi.url("/catapi").toString(),
                "RETRY_MAX_RETRIES", "0");
        catApi.enqueue(search("tabby", catApi.url("/elsewhere/tabby.jpg").toString()));
        catApi.enqueue(jpeg());
        catApi.enqueue(json("[]"));

        Expect.status(ambassador.get("/images/latest"), 200, "CAT_API_URL with a path (/catapi) and a cat");
        Expect.status(ambassador.get("/v1/breeds"), 200, "CAT_API_URL with a path (/catapi), on /v1/breeds");

        RecordedRequest search = catApi.takeRequest();
        RecordedRequest image = catApi.takeRequest();
        RecordedRequest passthrough = catApi.takeRequest();
        assertThat(search.getUrl().encodedPath()).as("the search's path, under CAT_API_URL")
                .isEqualTo("/catapi/v1/images/search");
        assertThat(search.getHeaders().get("x-api-key")).as("the key on the search, under CAT_API_URL's path")
                .isEqualTo(SECRET);
        assertThat(image.getUrl().encodedPath()).as("the download's path, on the same host")
                .isEqualTo("/elsewhere/tabby.jpg");
        assertThat(image.getHeaders().get("x-api-key"))
                .as("the key on the download: same host, but outside CAT_API_URL's path, so none").isNull();
        assertThat(passthrough.getUrl().encodedPath()).as("the /v1/breeds passthrough's path, under CAT_API_URL")
                .isEqualTo("/catapi/v1/breeds");
        assertThat(passthrough.getHeaders().get("x-api-key")).as("the key on the /v1/breeds passthrough")
                .isEqualTo(SECRET);
    }

    @Test
    void aMountedSecretFileIsReadAndTrimmed() throws IOException {
        Path secret = Files.writeString(dir.resolve("cat-api-key"), SECRET + "\n");

        var config = AmbassadorConfig.fromEnv(Map.of("CAT_API_KEY_FILE", secret.toString()));

        assertThat(config.apiKey().isPresent()).isTrue();
        assertThat(config.apiKey().reveal()).contains(SECRET);
        assertThat(config.apiKey()).hasToString("ApiKey[set, hidden]");
    }

    @Test
    void problemsWithTheKeyAreReportedWithoutTheKey() {
        assertThatThrownBy(() -> AmbassadorConfig.fromEnv(Map.of("CAT_API_KEY_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> AmbassadorConfig.fromEnv(Map.of("CAT_API_KEY", SECRET, "CAT_API_KEY_FILE", "/x")))
                .hasMessageContaining("both set").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> AmbassadorConfig.fromEnv(Map.of("CAT_API_KEY", "two words " + SECRET)))
                .hasMessageContaining("an HTTP header cannot carry it").hasMessageNotContaining(SECRET);
    }

    @Test
    void aKeyMayHoldEveryPrintableAsciiCharacterAndNothingOutsideThem() {
        String printable = "!" + SECRET + "~";
        assertThat(AmbassadorConfig.fromEnv(Map.of("CAT_API_KEY", printable)).apiKey().reveal())
                .as("a key from '!' (0x21) to '~' (0x7e)").contains(printable);
        // Inside the key: blanks at its ends are trimmed, as for every variable.
        for (char outside : new char[] {'\u007f', '\t', '\u00e9'}) {
            String key = SECRET.substring(0, 4) + outside + SECRET.substring(4);
            assertThatThrownBy(() -> AmbassadorConfig.fromEnv(Map.of("CAT_API_KEY", key)))
                    .as("a key with character %#x inside", (int) outside)
                    .hasMessageContaining("an HTTP header cannot carry it");
        }
    }
}
