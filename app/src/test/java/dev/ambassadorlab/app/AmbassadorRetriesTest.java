package dev.ambassadorlab.app;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 13: the app resends a request only when it never reached the ambassador. Any answer the ambassador gave
 * (it retried already, or it says to stop) goes back to the caller as it is, so the retries of the two layers never
 * multiply.
 */
class AmbassadorRetriesTest {
    private final WireMockServer ambassador = new WireMockServer(options().dynamicPort());
    private Javalin app;

    @BeforeEach
    void start() {
        ambassador.start();
        app = CatApp.create(AppConfig.fromEnv(Map.of("AMBASSADOR_URL", ambassador.baseUrl(),
                "AMBASSADOR_TIMEOUT_MS", "2000", "APP_RETRIES", "2"))).start(0);
    }

    @AfterEach
    void stop() {
        app.stop();
        ambassador.stop();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"503, upstream_unavailable", "503, overloaded", "503, circuit_open", "504, deadline_exceeded",
            "502, upstream_rejected"})
    void anAnswerTheAmbassadorGaveIsNeverSentAgain(int status, String error) throws Exception {
        ambassador.stubFor(get("/images/latest").willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"" + error + "\",\"reason\":\"the upstream is down\"}")));

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + app.port() + "/images/latest")).build(),
                HttpResponse.BodyHandlers.ofString());

        int sent = ambassador.findAll(getRequestedFor(urlPathEqualTo("/images/latest"))).size();
        assertThat(sent).withFailMessage("the ambassador answered %d %s (it had retried upstream already, or it "
                + "says to stop): expected the app to pass that on after 1 request; it sent %d, and each was retried "
                + "upstream again: retries at two layers multiply; does retry() resend answers?", status, error, sent)
                .isEqualTo(1);
        assertThat(answer.statusCode()).as("the ambassador's answer, passed on").isEqualTo(status);
    }

    @Test
    void aRequestThatNeverReachedTheAmbassadorIsSentAgainUpToTheLimit() {
        var retries = new AmbassadorRetries(2);
        assertThat(retries.retry(1, 502, AmbassadorRetries.UNREACHABLE)).withFailMessage("the ambassador could not "
                + "be reached (%s): nothing was tried; expected a retry", AmbassadorRetries.UNREACHABLE).isTrue();
        assertThat(retries.retry(2, 502, AmbassadorRetries.UNREACHABLE)).as("the second retry of 2").isTrue();
        assertThat(retries.retry(3, 502, AmbassadorRetries.UNREACHABLE)).withFailMessage("APP_RETRIES is 2 and the "
                + "request was sent 3 times: expected no further retry").isFalse();
        assertThat(new AmbassadorRetries(0).retry(1, 502, AmbassadorRetries.UNREACHABLE))
                .as("APP_RETRIES=0: never").isFalse();
    }

    @Test
    void aTimeoutOrABrokenConnectionIsNotSentAgainTheAmbassadorMayStillBeAtWork() {
        var retries = new AmbassadorRetries(2);
        assertThat(retries.retry(1, 504, "ambassador_timeout")).withFailMessage("the app stopped waiting, but the "
                + "ambassador may still be retrying upstream: a retry would add a second request to that work")
                .isFalse();
        assertThat(retries.retry(1, 502, "ambassador_failed")).withFailMessage("the connection broke after the "
                + "request was sent: the ambassador may have acted on it; expected no retry").isFalse();
    }

    @Test
    void aSuccessIsNeverSentAgain() {
        assertThat(new AmbassadorRetries(2).retry(1, 200, null)).isFalse();
    }
}
