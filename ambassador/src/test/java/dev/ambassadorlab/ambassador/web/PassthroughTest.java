package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;

/** The rest of The Cat API passes through the same policies; its answers are relayed as they are. */
class PassthroughTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_BASE_DELAY_MS", "10");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void forwardsPathQueryAndAllowedHeadersAndRelaysTheAnswer() throws InterruptedException {
        catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Pagination-Count", "67").addHeader("Set-Cookie", "tracking=1").body("[{\"id\":\"abys\"}]")
                .build());

        var answer = pod.ambassador().get("/v1/breeds?limit=1&page=0", "Accept", "application/json", "Cookie", "session=abc");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("[{\"id\":\"abys\"}]");
        assertThat(answer.header("Pagination-Count")).isEqualTo("67");
        assertThat(answer.header("Set-Cookie")).as("not on the response allowlist").isNull();
        RecordedRequest sent = catApi.takeRequest();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/breeds");
        assertThat(sent.getUrl().query()).isEqualTo("limit=1&page=0");
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(sent.getHeaders().get("Cookie")).as("the caller's cookies stay behind").isNull();
    }

    @Test
    void eachCallGoesToItsOwnPathAndQueryThoughUrlsAreReused() throws InterruptedException {
        String[] paths = {"/v1/breeds?limit=1", "/v1/breeds?limit=2", "/v1/breeds", "/v1/breeds?limit=1", "/v1/votes"};
        for (int i = 0; i < paths.length; i++) {
            catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .addHeader("etag", "\"v" + i + "\"").body("[]").build());
        }

        for (int i = 0; i < paths.length; i++) {
            var answer = pod.ambassador().get(paths[i]);
            assertThat(answer.header("ETag")).as("the answer's etag header, relayed under its usual name")
                    .isEqualTo("\"v" + i + "\"");
            RecordedRequest sent = catApi.takeRequest();
            assertThat(sent.getUrl().encodedPath() + (sent.getUrl().query() == null ? "" : "?" + sent.getUrl().query()))
                    .as("what the upstream got for call %d, %s", i + 1, paths[i]).isEqualTo(paths[i]);
        }
    }

    @Test
    void answersGoBackUncompressedOverLoopbackEvenToCallersThatAcceptGzip() {
        String breeds = "[" + "{\"id\":\"abys\",\"name\":\"Abyssinian\"},".repeat(200) + "{}]";
        catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(breeds)
                .build());

        var answer = pod.ambassador().get("/v1/breeds", "Accept-Encoding", "gzip");

        assertThat(answer.header("Content-Encoding")).as("gzip on loopback costs CPU and saves nothing").isNull();
        assertThat(answer.body()).isEqualTo(breeds);
    }

    @Test
    void aLargeAnswerGoesBackWholeWithItsLengthNotInChunks() {
        // Larger than Jetty's output buffer, which would otherwise send it chunked, without a length.
        String images = "[" + "{\"id\":\"abys\",\"url\":\"https://cdn2.thecatapi.com/images/abys.jpg\"},".repeat(3000)
                + "{}]";
        catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(images)
                .build());

        var answer = pod.ambassador().get("/v1/images/search?limit=3000");

        assertThat(answer.header("Content-Length")).isEqualTo(String.valueOf(images.length()));
        assertThat(answer.header("Transfer-Encoding")).isNull();
        assertThat(answer.body()).isEqualTo(images);
    }

    @Test
    void aHeadAnswerKeepsTheLengthOfTheBodyItDoesNotCarry() throws InterruptedException {
        catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .setHeader("Content-Length", "1234").build());

        var answer = pod.ambassador().send(new Request.Builder().url(pod.ambassador().url("/v1/breeds")).head().build());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Length")).as("the length a GET would get, as the upstream said it; not 0")
                .isEqualTo("1234");
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(catApi.takeRequest().getMethod()).isEqualTo("HEAD");
    }

    @Test
    void aHeadAnswersLengthThatIsNotANumberIsNotRelayed() {
        catApi.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Length", "-5; x=<script>").build());

        var answer = pod.ambassador().send(new Request.Builder().url(pod.ambassador().url("/v1/breeds")).head().build());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Length")).as("an upstream's Content-Length that is not a length").isNull();
    }

    @Test
    void aNotModifiedCarriesNoLengthOrTypeTheUpstreamDidNotGive() {
        catApi.enqueue(new MockResponse.Builder().code(304).removeHeader("Content-Length").addHeader("ETag", "\"v1\"")
                .build());

        var answer = pod.ambassador().get("/v1/breeds", "If-None-Match", "\"v1\"");

        assertThat(answer.status()).isEqualTo(304);
        assertThat(answer.header("ETag")).isEqualTo("\"v1\"");
        // A cache refreshes its stored answer's headers from a 304: a length of 0 or a text/plain would spoil it.
        assertThat(answer.header("Content-Length")).as("a length the upstream did not send").isNull();
        assertThat(answer.header("Content-Type")).as("a type the upstream did not send").isNull();
    }

    @Test
    void aNoContentAnswerCarriesNoLengthEvenWhenTheUpstreamSendsOne() {
        catApi.enqueue(new MockResponse.Builder().code(204).setHeader("Content-Length", "0").build());

        var answer = pod.ambassador().send(new Request.Builder().url(pod.ambassador().url("/v1/favourites/1"))
                .delete().build());

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.header("Content-Length")).as("never on a 204 (RFC 9110, 8.6)").isNull();
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void relaysTheUpstreamsOwnErrorAnswerAfterRetries() {
        for (int i = 0; i < 3; i++) catApi.enqueue(status(502));

        var answer = pod.ambassador().get("/v1/images/abc");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.body()).contains("status 502");
        assertThat(catApi.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aPathThatClimbsOutOfV1IsNotForwarded() throws IOException {
        try (Socket socket = new Socket("localhost", Integer.parseInt(pod.ambassador().url("").replaceAll(".*:", "")))) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /v1/../admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(reply).startsWith("HTTP/1.1 4");
        }
        assertThat(catApi.getRequestCount()).isZero();
    }

    @Test
    void anEncodedDotDotIsNotForwardedEither() throws IOException {
        var client = new OkHttpClient();
        try (Response response = client.newCall(new Request.Builder().url(pod.ambassador().url("/v1/%2e%2e/admin")).build())
                .execute()) {
            assertThat(response.code()).isBetween(400, 404);
        }
        assertThat(catApi.getRequestCount()).isZero();
    }
}
