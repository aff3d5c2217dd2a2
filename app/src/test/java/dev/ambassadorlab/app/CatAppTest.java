package dev.ambassadorlab.app;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app in front of a WireMock playing its ambassador. Whatever the ambassador does, the app's caller gets JSON:
 * the ambassador's own answer when it has one, else a 502 or 504 that says what happened.
 */
class CatAppTest {
    private final WireMockServer ambassador = new WireMockServer(options().dynamicPort());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Javalin app;

    @BeforeEach
    void start() {
        ambassador.start();
        app = startApp(ambassador.baseUrl(), "500");
    }

    @AfterEach
    void stop() {
        app.stop();
        ambassador.stop();
    }

    private static Javalin startApp(String ambassadorUrl, String timeoutMs) {
        var config = AppConfig.fromEnv(Map.of("AMBASSADOR_URL", ambassadorUrl, "AMBASSADOR_TIMEOUT_MS", timeoutMs));
        return CatApp.create(config).start(0);
    }

    private HttpResponse<String> call(Javalin target, String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + target.port() + path));
        if (headers.length > 0) request.headers(headers);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void passesTheAmbassadorsJsonAndStatusThrough() throws Exception {
        ambassador.stubFor(get("/images/latest").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"image_id\":\"tabby\",\"bytes\":8331}")));

        var response = call(app, "/images/latest", "X-Request-Id", "trace-7");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"image_id\":\"tabby\",\"bytes\":8331}");
        assertThat(response.headers().firstValue("X-Request-Id")).contains("trace-7");
        ambassador.verify(getRequestedFor(urlEqualTo("/images/latest")).withHeader("X-Request-Id", equalTo("trace-7")));
    }

    @Test
    void passesTheAmbassadorsJsonErrorsThroughWithTheirHeaders() throws Exception {
        ambassador.stubFor(get("/images/latest").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "7")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"circuit_open\",\"reason\":\"the circuit breaker is open\"}")));

        var response = call(app, "/images/latest");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("circuit_open");
        assertThat(response.headers().firstValue("Retry-After")).contains("7");
    }

    @Test
    void aDownAmbassadorIsAJson502() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Javalin orphan = startApp("http://localhost:" + closedPort, "500");
        try {
            var response = call(orphan, "/images/latest");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(response.body()).contains("\"error\":\"ambassador_unreachable\"", "is it running?");
        } finally {
            orphan.stop();
        }
    }

    @Test
    void aSlowAmbassadorIsAJson504WithinTheAppsTimeout() throws Exception {
        ambassador.stubFor(get("/images/latest").willReturn(aResponse().withFixedDelay(5_000).withStatus(200)));

        long start = System.nanoTime();
        var response = call(app, "/images/latest");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"error\":\"ambassador_timeout\"", "500 ms (AMBASSADOR_TIMEOUT_MS)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void anAmbassadorAnsweringGarbageIsAJson502() throws Exception {
        ambassador.stubFor(get("/images/latest").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/html").withBody("<html><body>java.lang.NullPointerException</body></html>")));

        var response = call(app, "/images/latest");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"error\":\"ambassador_bad_answer\"", "answered 500 with text/html")
                .doesNotContain("NullPointerException");
    }

    @Test
    void jsonLabelledGarbageIsAJson502Too() throws Exception {
        ambassador.stubFor(get("/images/latest").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"image_id\": ")));

        assertThat(call(app, "/images/latest").statusCode()).isEqualTo(502);
    }

    @Test
    void aConnectionResetByTheAmbassadorIsAJson502() throws Exception {
        ambassador.stubFor(get("/images/latest").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        var response = call(app, "/images/latest");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"error\":\"ambassador_failed\"");
    }

    @Test
    void breedsGoThroughTheAmbassadorsPassthrough() throws Exception {
        ambassador.stubFor(get("/v1/breeds").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[{\"id\":\"abys\"}]")));

        assertThat(call(app, "/breeds").body()).isEqualTo("[{\"id\":\"abys\"}]");
    }

    @Test
    void healthDoesNotDependOnTheAmbassador() throws Exception {
        ambassador.stop();

        assertThat(call(app, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownRouteIsAJsonNotFound() throws Exception {
        var response = call(app, "/cats");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"not_found\"", "GET /images/latest");
    }
}
