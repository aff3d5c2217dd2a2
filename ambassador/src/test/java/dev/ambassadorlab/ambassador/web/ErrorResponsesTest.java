package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.request.BodyMemory;
import dev.ambassadorlab.ambassador.request.RequestContext;
import dev.ambassadorlab.ambassador.security.ApiKey;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error leaves as JSON in the ambassador's own words; what went wrong in detail stays for the log, masked. */
class ErrorResponsesTest {
    private static final String KEY = "live_Err0r-Key-0123456789abcdef";
    private final ErrorResponses errors = new ErrorResponses(ApiKey.of(KEY));
    private final RequestContext request = new RequestContext("req-1", Duration.ofSeconds(5), 0, true,
            new BodyMemory(1024));
    private Javalin server;

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    @Test
    void aBugIsA500ThatPointsAtTheLogAndTellsNothingOfIt() throws Exception {
        start();
        var answer = get("/bug");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).startsWith("{\"error\":\"internal_error\",\"reason\":\"the ambassador failed unexpectedly; "
                + "its log has the details under request id req-1\"").doesNotContain(KEY, "IllegalState", "boom");
        assertThat(request.detail()).as("the detail kept for the log line").contains("IllegalStateException", "boom");
    }

    @Test
    void aRefusalKeepsItsDetailForTheLogAndANullDetailKeepsAnEarlierOne() throws Exception {
        start();
        var refused = get("/refused");
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.headers().firstValue("Retry-After")).as("a 502 with no wait to pass on").isEmpty();
        assertThat(request.detail()).isEqualTo("status line: " + KEY);

        var plain = get("/plain");
        assertThat(plain.statusCode()).isEqualTo(503);
        assertThat(plain.headers().firstValue("Retry-After")).as("1.2 s, rounded up").contains("2");
        assertThat(request.detail()).isEqualTo("status line: " + KEY);
    }

    @Test
    void withoutARequestItIsStillJsonAndHasNoRequestId() throws Exception {
        start();
        var answer = get("/no-request");

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).isEqualTo("{\"error\":\"bad_upstream_answer\",\"reason\":\"words\"}");
    }

    @Test
    void theLoggedCopyOfAFailureHasTheKeyMaskedInItAndItsCausesAndTheSameStack() {
        var cause = new IllegalArgumentException("cause " + KEY.toUpperCase());
        var failure = new IllegalStateException("outer " + KEY, cause);

        Throwable logged = errors.masked(failure);

        assertThat(logged).hasToString("java.lang.IllegalStateException: outer " + "[api-key]");
        assertThat(logged.getCause()).hasToString("java.lang.IllegalArgumentException: cause [api-key]");
        assertThat(logged.getCause().getCause()).isNull();
        assertThat(logged.getStackTrace()).isEqualTo(failure.getStackTrace());
        assertThat(errors.masked(new IllegalStateException((String) null))).hasToString("java.lang.IllegalStateException: null");
    }

    private void start() {
        server = Javalin.create(config -> {
            config.routes.before(ctx -> {
                if (!ctx.path().equals("/no-request")) {
                    ctx.attribute(CallerHeaders.REQUEST_ID, "req-1");
                    ctx.attribute(RequestLog.CONTEXT_KEY, request);
                }
            });
            config.routes.get("/bug", ctx -> {
                throw new IllegalStateException("boom " + KEY);
            });
            config.routes.get("/refused", ctx -> {
                throw new AmbassadorException(ErrorCode.BAD_UPSTREAM_ANSWER, "words", null, "status line: " + KEY);
            });
            config.routes.get("/plain", ctx -> {
                throw new AmbassadorException(ErrorCode.UPSTREAM_UNAVAILABLE, "words", Duration.ofMillis(1_200));
            });
            config.routes.get("/no-request", ctx -> {
                throw new AmbassadorException(ErrorCode.BAD_UPSTREAM_ANSWER, "words", null, "detail");
            });
            config.routes.exception(AmbassadorException.class, errors::write);
            config.routes.exception(Exception.class, errors::unexpected);
        }).start("127.0.0.1", 0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
