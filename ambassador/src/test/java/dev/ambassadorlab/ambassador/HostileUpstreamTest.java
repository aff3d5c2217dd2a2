package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.search;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * An upstream that answers nonsense or tries to trick the ambassador gets a JSON 502 naming the problem, nothing is
 * retried in vain, and no file appears anywhere: not in IMAGES_DIR and certainly not outside it.
 */
class HostileUpstreamTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("IMAGE_MAX_BYTES", "2048");
    private final MockWebServer catApi = pod.catApi();

    @BeforeEach
    void start() {
        // Deep enough that "../../x" from IMAGES_DIR would still land inside the temp dir, where the test looks.
        pod.start("IMAGES_DIR", pod.root().resolve("a/b/images").toString());
    }

    static Stream<Arguments> hostileAnswers() {
        Function<MockWebServer, MockResponse> bigImage = server -> new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "image/jpeg").body(new Buffer().write(new byte[4096])).build();
        return Stream.of(
                arguments("an id that climbs out of the directory", "invalid_image_id",
                        (Function<MockWebServer, MockResponse>) server -> searchOn(server, "../../x"), null),
                arguments("an id with a slash", "invalid_image_id",
                        (Function<MockWebServer, MockResponse>) server -> search("a/b", server.url("/i.jpg").toString()), null),
                arguments("a file: url", "image_url_not_allowed",
                        (Function<MockWebServer, MockResponse>) server -> search("x1", "file:///etc/passwd"), null),
                arguments("a host that is not allowed", "image_url_not_allowed",
                        (Function<MockWebServer, MockResponse>) server -> search("x1", "http://evil.example/x.jpg"), null),
                // Issue cases 3 and 7: the allowlist holds origins, and a URL it cannot even parse is a 502, never a 500.
                arguments("another port of the Cat API's own host", "image_url_not_allowed",
                        (Function<MockWebServer, MockResponse>) server -> search("x1", "http://" + server.getHostName()
                                + ":" + (server.getPort() == 65535 ? 1 : server.getPort() + 1) + "/x1.jpg"), null),
                arguments("the Cat API's host over https", "image_url_not_allowed",
                        (Function<MockWebServer, MockResponse>) server -> search("x1", "https://" + server.getHostName()
                                + ":" + server.getPort() + "/x1.jpg"), null),
                arguments("an image url with port 0", "image_url_not_allowed",
                        (Function<MockWebServer, MockResponse>) server -> search("x1", "http://" + server.getHostName() + ":0/x.jpg"), null),
                arguments("an image url with port 70000", "image_url_not_allowed",
                        (Function<MockWebServer, MockResponse>) server -> search("x1", "http://" + server.getHostName() + ":70000/x.jpg"), null),
                arguments("malformed JSON", "malformed_search_answer",
                        (Function<MockWebServer, MockResponse>) server -> json("[{\"id\": \"x1\", "), null),
                arguments("an empty list", "malformed_search_answer",
                        (Function<MockWebServer, MockResponse>) server -> json("[]"), null),
                arguments("an object instead of a list", "malformed_search_answer",
                        (Function<MockWebServer, MockResponse>) server -> json("{\"id\":\"x1\"}"), null),
                arguments("a negative width", "malformed_search_answer",
                        (Function<MockWebServer, MockResponse>) server -> json(
                                "[{\"id\":\"x1\",\"url\":\"" + server.url("/x1.jpg") + "\",\"width\":-3}]"), null),
                arguments("an image over the size cap", "answer_too_large",
                        (Function<MockWebServer, MockResponse>) server -> searchOn(server, "big"), bigImage),
                arguments("an HTML page instead of an image", "not_an_image",
                        (Function<MockWebServer, MockResponse>) server -> searchOn(server, "html"),
                        (Function<MockWebServer, MockResponse>) server -> new MockResponse.Builder().code(200)
                                .addHeader("Content-Type", "text/html").body("<html>gotcha</html>").build()),
                arguments("a script labelled as a JPEG", "not_an_image",
                        (Function<MockWebServer, MockResponse>) server -> searchOn(server, "fake"),
                        (Function<MockWebServer, MockResponse>) server -> new MockResponse.Builder().code(200)
                                .addHeader("Content-Type", "image/jpeg").body("#!/bin/sh\nrm -rf /\n").build()),
                arguments("a 404 for the search", "upstream_rejected",
                        (Function<MockWebServer, MockResponse>) server -> new MockResponse.Builder().code(404).build(), null),
                arguments("a redirect for the image", "upstream_redirect",
                        (Function<MockWebServer, MockResponse>) server -> searchOn(server, "moved"),
                        (Function<MockWebServer, MockResponse>) server -> new MockResponse.Builder().code(302)
                                .addHeader("Location", "file:///etc/passwd").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileAnswers")
    void aHostileAnswerIsAJson502ThatNamesTheProblem(String description, String error,
                                                     Function<MockWebServer, MockResponse> searchAnswer,
                                                     Function<MockWebServer, MockResponse> imageAnswer) throws IOException {
        catApi.enqueue(searchAnswer.apply(catApi));
        if (imageAnswer != null) catApi.enqueue(imageAnswer.apply(catApi));

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).as(answer.body()).isEqualTo(502);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.body()).contains("\"error\":\"" + error + "\"", "\"reason\":");
        assertThat(answer.body()).doesNotContain("Exception", "\tat ");
        assertThat(catApi.getRequestCount()).as("a bad answer is not retried").isEqualTo(imageAnswer == null ? 1 : 2);
        assertThat(pod.filesWritten()).as("files anywhere under " + pod.root()).isEmpty();
        assertThat(pod.ambassador().metric("ambassador_requests_total", "status", "bad_gateway")).isEqualTo(1.0);
    }
}
