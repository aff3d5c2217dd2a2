package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;

/** The pass-through at its edges: bodies in chunks, bodies cut short, queries that look alike, statuses at 500. */
class PassthroughEdgesTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("ANSWER_MAX_BYTES", "1024",
            "RETRY_MAX_RETRIES", "0", "BREAKER_FAILURE_THRESHOLD", "1");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void aChunkedBodyIsForwardedWholeUpToTheCapAndRefusedBeyondIt() throws Exception {
        catApi.enqueue(json("{\"voted\":true}"));
        String exactly = "x".repeat(1_000) + "y".repeat(24);

        String forwarded = raw("POST /v1/votes HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks(exactly) + "0\r\n\r\n");
        String refused = raw("POST /v1/votes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close"
                + "\r\n\r\n" + chunks(exactly + "z") + "0\r\n\r\n");

        assertThat(forwarded).startsWith("HTTP/1.1 200");
        assertThat(catApi.takeRequest().getBody().utf8()).isEqualTo(exactly);
        assertThat(refused).startsWith("HTTP/1.1 413").contains("\"error\":\"body_too_large\"");
        Expect.upstreamCalls(catApi, 1, "the body over the cap is never sent");
    }

    @Test
    void aBodyCutShortIsA400AndAnEmptyOneIsNone() throws Exception {
        catApi.enqueue(json("{}"));
        String cut = rawThenClose("POST /v1/votes HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        String empty = raw("POST /v1/votes HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(cut).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request_body\"")
                .doesNotContain("Exception", "EOF");
        assertThat(empty).startsWith("HTTP/1.1 200");
        RecordedRequest sent = catApi.takeRequest();
        assertThat(sent.getBody().size()).as("the empty body forwarded").isZero();
    }

    @Test
    void aQueryOfTheWordNullIsNotMistakenForNoQuery() throws Exception {
        catApi.enqueue(json("[]"));
        catApi.enqueue(json("[]"));

        pod.ambassador().get("/v1/breeds?null");
        pod.ambassador().get("/v1/breeds");

        assertThat(catApi.takeRequest().getUrl().query()).isEqualTo("null");
        assertThat(catApi.takeRequest().getUrl().query()).as("the second call's query").isNull();
    }

    @Test
    void a499IsAnAnswerAndA500IsAFailureForTheBreaker() throws Exception {
        catApi.enqueue(status(499));
        catApi.enqueue(status(500));

        Expect.status(pod.ambassador().get("/v1/breeds"), 499, "a 499, relayed");
        Expect.status(pod.ambassador().get("/v1/breeds"), 500, "a 500 after a 499: the breaker still closed");
        var failFast = pod.ambassador().get("/v1/breeds");

        Expect.status(failFast, 503, "a call after one 500 with BREAKER_FAILURE_THRESHOLD=1");
        assertThat(failFast.body()).contains("\"error\":\"circuit_open\"");
        Expect.upstreamCalls(catApi, 2, "an open breaker sends nothing");
    }

    private static String chunks(String body) {
        StringBuilder chunked = new StringBuilder();
        for (int at = 0; at < body.length(); at += 300) {
            String chunk = body.substring(at, Math.min(body.length(), at + 300));
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        return chunked.toString();
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", pod.ambassador().proxyPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Sends the request, then closes the sending side: the body ends where the request does. */
    private String rawThenClose(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", pod.ambassador().proxyPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
