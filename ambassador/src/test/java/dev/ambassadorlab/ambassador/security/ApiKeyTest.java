package dev.ambassadorlab.ambassador.security;

import dev.ambassadorlab.ambassador.AmbassadorConfig;
import dev.ambassadorlab.ambassador.config.ConfigException;
import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
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

            assertThat(catApi.takeRequest().getHeaders().get("x-api-key")).isEqualTo(SECRET);
            assertThat(imageHost.takeRequest().getHeaders().get("x-api-key")).as("image host").isNull();
            catApi.takeRequest();
            RecordedRequest passthrough = catApi.takeRequest();
            assertThat(passthrough.getHeaders().values("x-api-key")).as("caller's key replaced").containsExactly(SECRET);

            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.body()).contains("answered 401; check CAT_API_KEY");
            for (String seen : new String[]{image.body(), image.headers().toString(), refused.body(),
                    refused.headers().toString(), ambassador.accessLog(), ambassador.metrics(),
                    ambassador.config.toString()}) {
                assertThat(seen).doesNotContain(SECRET);
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

        assertThat(ambassador.get("/images/latest").status()).isEqualTo(200);
        assertThat(ambassador.get("/v1/breeds").status()).isEqualTo(200);

        RecordedRequest search = catApi.takeRequest();
        RecordedRequest image = catApi.takeRequest();
        RecordedRequest passthrough = catApi.takeRequest();
        assertThat(search.getUrl().encodedPath()).isEqualTo("/catapi/v1/images/search");
        assertThat(search.getHeaders().get("x-api-key")).isEqualTo(SECRET);
        assertThat(image.getUrl().encodedPath()).isEqualTo("/elsewhere/tabby.jpg");
        assertThat(image.getHeaders().get("x-api-key")).as("same host, outside CAT_API_URL's path").isNull();
        assertThat(passthrough.getUrl().encodedPath()).isEqualTo("/catapi/v1/breeds");
        assertThat(passthrough.getHeaders().get("x-api-key")).isEqualTo(SECRET);
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
}
