package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.AmbassadorHarness;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Locale;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream's answer to a pass-through is hostile input too: its status line, its headers and what a library makes
 * of them. Whatever it sends, the caller gets either a relayed answer with checked headers or a JSON error in the
 * ambassador's own words, never the key, never an exception's text, and the request is logged and counted.
 */
class HostileAnswerTest {
    private static final String KEY = "live_Sh0uld-N3ver-Be-Echoed-0123456789";
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("CAT_API_KEY", KEY, "RETRY_BASE_DELAY_MS", "10");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void aStatusLineThatQuotesTheKeyIsA502InTheAmbassadorsWordsAndTheLogMasksIt() {
        catApi.enqueue(new MockResponse.Builder().status("HTTP/1.1 5OO " + KEY).body("{}").build());

        var answer = pod.ambassador().get("/v1/breeds");

        Expect.status(answer, 502, "a status line \"HTTP/1.1 5OO <the key>\"");
        assertThat(answer.body()).contains("\"error\":\"bad_upstream_answer\"");
        assertNothingOfTheKeyOrTheLibraryIn(answer);
        Expect.upstreamCalls(catApi, 1, "an answer that is not HTTP is not retried");
        assertThat(pod.ambassador().accessLog()).as("the request log: the detail, with the key masked")
                .contains("\"status\":502", "\"detail\":", "[api-key]").doesNotContain(KEY);
    }

    @ParameterizedTest(name = "status line {0}")
    @ValueSource(strings = {"HTTP/1.1 101 Switching Protocols", "HTTP/1.1 000 Zero", "HTTP/1.1 042 Odd",
            "HTTP/1.1 099 Odd", "HTTP/1.1 600 Beyond", "HTTP/1.1 999 Beyond"})
    void aStatusOutside200To599IsA502NotRelayedAndNotASuccess(String statusLine) {
        catApi.enqueue(new MockResponse.Builder().status(statusLine).body("{}").build());

        var answer = pod.ambassador().get("/v1/breeds");

        Expect.status(answer, 502, "the status line \"" + statusLine + "\"");
        assertThat(answer.body()).contains("\"error\":\"bad_upstream_answer\"");
        assertThat(pod.ambassador().accessLog()).contains("\"status\":502", "\"outcome\":\"bad_gateway\"");
        Expect.metric(pod.ambassador(), 1, "the attempt's answer was not HTTP the ambassador uses",
                "ambassador_upstream_attempts_total", "outcome", "bad_answer");
    }

    @Test
    void a503WithARetryAfterTooLongForAnIntIsRelayedWithItsWaitNotA500() {
        catApi.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "9999999999").body("{}").build());

        var answer = pod.ambassador().get("/v1/breeds");

        Expect.status(answer, 503, "a 503 with Retry-After: 9999999999");
        assertThat(answer.header("Retry-After")).as("the wait, passed on as the longest one of nine digits")
                .isEqualTo("999999999");
        Expect.upstreamCalls(catApi, 1, "a wait longer than RETRY_AFTER_MAX_MS is not waited for");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Cache-Control", "ETag", "Content-Type", "Last-Modified", "Pagination-Count"})
    void anAnswerHeaderOf16KbIsAJson502ThatIsLoggedCountedAndNoLongerInFlight(String header) {
        String huge = header.equals("Content-Type") ? "application/json; x=" + "a".repeat(16 * 1024)
                : "a".repeat(16 * 1024);
        catApi.enqueue(new MockResponse.Builder().code(200).setHeader(header, huge).body("[]").build());

        var answer = pod.ambassador().get("/v1/breeds");

        Expect.status(answer, 502, "a 16 KB " + header + " header");
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.body()).contains("\"error\":\"bad_upstream_answer\"", header);
        assertThat(pod.ambassador().accessLog()).contains("\"path\":\"/v1/breeds\"", "\"status\":502");
        Expect.metric(pod.ambassador(), 1, "the refused answer, counted", "ambassador_requests_total",
                "status", "bad_gateway");
        Expect.metric(pod.ambassador(), 0, "the request is over", "ambassador_requests_in_flight");
    }

    @Test
    void answerHeadersUpToTheLimitsAreRelayedWhole() {
        String etag = "\"" + "e".repeat(RelayedHeaders.MAX_VALUE_CHARS - 2) + "\"";
        catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("ETag", etag).addHeader("Pagination-Count", "7").body("[]").build());

        var answer = pod.ambassador().get("/v1/breeds");

        Expect.status(answer, 200, "an ETag of exactly " + RelayedHeaders.MAX_VALUE_CHARS + " characters");
        assertThat(answer.header("ETag")).isEqualTo(etag);
        assertThat(answer.header("Pagination-Count")).isEqualTo("7");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"the key in lower case in an ETag", "the key in upper case in Cache-Control",
            "the key in a Content-Type parameter", "the key split across Cache-Control and ETag",
            "the key split across ETag and Cache-Control", "half of the key in Last-Modified"})
    void anAnswerWhoseHeadersCarryTheKeyIsNotRelayedAtAll(String how) {
        String first = KEY.substring(0, KEY.length() / 2);
        String second = KEY.substring(KEY.length() / 2);
        var answer = new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("[]");
        switch (how) {
            case "the key in lower case in an ETag" -> answer.addHeader("ETag", "\"" + KEY.toLowerCase(Locale.ROOT) + "\"");
            case "the key in upper case in Cache-Control" -> answer.addHeader("Cache-Control",
                    "max-age=60, x=" + KEY.toUpperCase(Locale.ROOT));
            case "the key in a Content-Type parameter" -> answer.setHeader("Content-Type",
                    "application/json; charset=utf-8; k=" + KEY);
            case "the key split across Cache-Control and ETag" -> answer.addHeader("Cache-Control", "x=" + first)
                    .addHeader("ETag", "\"" + second + "\"");
            case "the key split across ETag and Cache-Control" -> answer.addHeader("ETag", "\"" + first + "\"")
                    .addHeader("Cache-Control", "x=" + second);
            case "half of the key in Last-Modified" -> answer.addHeader("Last-Modified", second);
            default -> throw new IllegalArgumentException(how);
        }
        catApi.enqueue(answer.build());

        var relayed = pod.ambassador().get("/v1/breeds");

        Expect.status(relayed, 502, "an answer with " + how);
        assertThat(relayed.body()).contains("\"error\":\"bad_upstream_answer\"");
        String shown = (relayed.headers() + relayed.body()).toLowerCase(Locale.ROOT);
        assertThat(shown).as("what the caller got, in any case").doesNotContain(first.toLowerCase(Locale.ROOT),
                second.toLowerCase(Locale.ROOT));
        assertThat(pod.ambassador().accessLog().toLowerCase(Locale.ROOT)).doesNotContain(first.toLowerCase(Locale.ROOT),
                second.toLowerCase(Locale.ROOT));
    }

    @Test
    void aGzipAnswerThatExpandsPastTheCapIsA502AndNeverHeldWhole() throws IOException {
        Buffer zipped = new Buffer();
        try (BufferedSink sink = Okio.buffer(new GzipSink(zipped))) {
            sink.write(new byte[3 * 1024 * 1024]); // 3 MB of zeros: about 3 KB on the wire
        }
        catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(zipped).build());

        var answer = pod.ambassador().get("/v1/breeds");

        Expect.status(answer, 502, "a 3 KB gzip answer that expands to 3 MB, past ANSWER_MAX_BYTES (1 MB)");
        assertThat(answer.body()).contains("\"error\":\"answer_too_large\"");
    }

    @Test
    void anAnswerHeaderOutsidePrintableAsciiIsA502() {
        catApi.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeaderLenient("ETag", "\"caf\u00e9\"").body("[]").build());

        var answer = pod.ambassador().get("/v1/breeds");

        Expect.status(answer, 502, "an ETag with a non-ASCII character");
        assertThat(answer.body()).contains("\"error\":\"bad_upstream_answer\"");
    }

    private static void assertNothingOfTheKeyOrTheLibraryIn(AmbassadorHarness.Answer answer) {
        String shown = answer.headers() + answer.body();
        assertThat(shown.toLowerCase(Locale.ROOT)).as("the answer, headers and body, in any case")
                .doesNotContain(KEY.toLowerCase(Locale.ROOT).substring(0, KEY.length() / 2),
                        KEY.toLowerCase(Locale.ROOT).substring(KEY.length() / 2));
        assertThat(answer.body()).as("no library's words").doesNotContain("Exception", "status line", "5OO");
    }
}
