package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.AmbassadorHarness;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whoever can make the ambassador send a request holds its key: every part of a caller's request is hostile input.
 * A refused request is a 4xx in JSON that names the problem, and nothing reaches the upstream.
 */
class HostileCallerTest {
    private static final String KEY = "k3y-never-echoed-0042";
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("CAT_API_KEY", KEY, "RETRY_BASE_DELAY_MS", "10",
            "REQUEST_DEADLINE_MS", "1500", "ATTEMPT_TIMEOUT_MS", "1000", "BULKHEAD_MAX_CONCURRENT", "2");
    private final MockWebServer catApi = pod.catApi();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"})
    void aMethodOverrideHeaderIsRefusedAndTheUpstreamNeverSeesTheRequest(String header) {
        catApi.enqueue(json("{\"deleted\":true}"));

        var answer = pod.ambassador().get("/v1/favourites/123", header, "DELETE");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"error\":\"method_override_refused\"", header);
        assertThat(catApi.getRequestCount()).as("requests upstream").isZero();
        assertThat(pod.ambassador().metric("ambassador_requests_total", "status", "client_error")).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/..%2f..%2felsewhere/admin", "/v1/images%2F..%2F..%2Fadmin", "/v1/%2e%2e/admin",
            "/v1/a%5c..%5cadmin", "/v1/a%5C..%5Cadmin"})
    void encodedSlashesBackslashesAndDotsInAPassthroughPathAreRefused(String path) throws IOException {
        String reply = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 400");
        assertThat(catApi.getRequestCount()).as("requests upstream").isZero();
    }

    @Test
    void aHeaderValueOutsideAsciiIsA400ThatNamesTheHeaderNotA500() throws IOException {
        String reply = raw("GET /v1/breeds HTTP/1.1\r\nHost: x\r\nAccept: caf\u00e9\r\nConnection: close\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_header\"", "Accept");
        assertThat(catApi.getRequestCount()).isZero();
    }

    @Test
    void aBlankIdempotencyKeyIsRefusedAndThePostIsNeverSentOrRetried() {
        for (int i = 0; i < 3; i++) catApi.enqueue(status(429));

        var answer = pod.ambassador().post("/v1/votes", "{\"image_id\":\"x1\",\"value\":1}", "Idempotency-Key", " ");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"error\":\"bad_header\"", "Idempotency-Key is empty");
        assertThat(catApi.getRequestCount()).isZero();
    }

    @Test
    void aCallerThatSendsItsBodySlowlyGetsA408AtItsDeadlineAndHoldsNoBulkheadPermit() throws Exception {
        AmbassadorHarness ambassador = pod.ambassador();
        List<Socket> slowCallers = new ArrayList<>();
        try {
            // As many slow callers as the bulkhead has permits: each sends its headers and one byte of 100, then stalls.
            for (int i = 0; i < 2; i++) {
                Socket socket = new Socket("127.0.0.1", ambassador.proxyPort());
                socket.getOutputStream().write(("POST /v1/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\nConnection: close\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slowCallers.add(socket);
            }
            await("both slow callers being served").atMost(Duration.ofSeconds(5))
                    .until(() -> ambassador.metric("ambassador_requests_in_flight") == 2.0);

            catApi.enqueue(json("[{\"id\":\"abys\"}]"));
            var fast = ambassador.get("/v1/breeds");

            assertThat(fast.status()).as("a caller behind the slow ones: " + fast.body()).isEqualTo(200);
            for (Socket slow : slowCallers) {
                slow.setSoTimeout(5_000);
                long start = System.nanoTime();
                String reply = new String(readAll(slow.getInputStream()), StandardCharsets.US_ASCII);
                assertThat(reply).startsWith("HTTP/1.1 408").contains("\"error\":\"request_timeout\"");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            }
            assertThat(catApi.getRequestCount()).as("only the fast caller's request went upstream").isEqualTo(1);
        } finally {
            for (Socket socket : slowCallers) socket.close();
        }
    }

    @Test
    void aBodyOverTheCapIsA413BeforeAnythingIsSent() {
        var ambassador = pod.start("ANSWER_MAX_BYTES", "1024");

        var answer = ambassador.post("/v1/votes", "{\"pad\":\"" + "x".repeat(2000) + "\"}");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("\"error\":\"body_too_large\"", "1024");
        assertThat(catApi.getRequestCount()).isZero();
    }

    @Test
    void aBodyOfExactlyTheCapIsForwardedAndOneByteMoreIsNot() {
        var ambassador = pod.start("ANSWER_MAX_BYTES", "1024");
        String exactly = "{\"pad\":\"" + "x".repeat(1024 - 10) + "\"}";
        catApi.enqueue(json("{\"voted\":true}"));

        assertThat(ambassador.post("/v1/votes", exactly).status()).as("a body of exactly 1024 bytes").isEqualTo(200);
        assertThat(ambassador.post("/v1/votes", exactly.replace("{", "{ ")).status()).as("a body of 1025 bytes")
                .isEqualTo(413);
        assertThat(catApi.getRequestCount()).as("requests that reached the Cat API").isEqualTo(1);
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", pod.ambassador().proxyPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
