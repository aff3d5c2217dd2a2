package dev.ambassadorlab.console;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.ambassadorlab.console.traces.TraceTextTest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole console in process, in front of a stand-in ambassador whose stream holds one trace. */
class ConsoleTest {
    private final OkHttpClient http = new OkHttpClient();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private WireMockServer ambassador;
    private Console console;

    @BeforeEach
    void start() {
        ambassador = new WireMockServer(options().dynamicPort());
        ambassador.start();
        String oneLine = TraceTextTest.TWO_503S_THEN_A_CAT.replace("\n", "");
        ambassador.stubFor(get("/debug/requests/stream").willReturn(aResponse()
                .withHeader("Content-Type", "text/event-stream").withBody("event: trace\ndata: " + oneLine + "\n\n")));
        ambassador.stubFor(get("/metrics").willReturn(aResponse().withBody(
                "ambassador_requests_total{status=\"success\"} 1\nambassador_circuit_breaker_state{upstream=\"cats\"} 0\n")));
        console = Console.start(ConsoleSettings.fromEnv(Map.of("CONSOLE_PORT", "0",
                "AMBASSADOR_ADMIN_URL", ambassador.baseUrl(), "TOXIPROXY_URL", "http://127.0.0.1:9",
                // The stand-in is a WireMock too: its admin API stands in for the mock Cat API's.
                "WIREMOCK_URL", ambassador.baseUrl(), "APP_URL", "http://127.0.0.1:9")), new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        console.close();
        ambassador.stop();
    }

    private Response call(String method, String path) throws IOException {
        var body = method.equals("GET") ? null : RequestBody.create(new byte[0]);
        return http.newCall(new Request.Builder().url("http://localhost:" + console.port() + path)
                .method(method, body).build()).execute();
    }

    private String text(String method, String path, int expectedStatus) throws IOException {
        try (Response response = call(method, path)) {
            String body = response.body().string();
            assertThat(response.code()).as(body).isEqualTo(expectedStatus);
            return body;
        }
    }

    @Test
    void the_page_and_its_chart_library_are_served_from_the_jar() throws IOException {
        assertThat(text("GET", "/", 200)).contains("<title>Ambassador Lab console</title>");
        assertThat(text("GET", "/console.js", 200)).contains("EventSource");
        assertThat(text("GET", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", 200)).contains("uPlot");
    }

    @Test
    void traces_from_the_ambassadors_stream_are_kept_relayed_and_printed_as_text() throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> text("GET", "/api/traces?limit=1", 200).contains("3f2a"));

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("GET /images/latest -> 200 success (412 ms) [3f2a]")
                .contains("    image  #1 -> 200 (30 ms)");
        var asABrowserDoes = new Request.Builder().url("http://localhost:" + console.port() + "/api/traces/stream")
                .header("Accept", "text/event-stream").build();
        try (Response stream = http.newCall(asABrowserDoes).execute()) {
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.body().source().readUtf8Line()).isEqualTo("event: trace");
        }
    }

    @Test
    void the_pod_state_is_read_from_the_ambassadors_metrics_with_the_faults() throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> text("GET", "/api/state", 200).contains("\"ambassador_up\":true"));

        assertThat(text("GET", "/api/state", 200)).contains("\"breakers\":{\"cats\":0.0}").contains("\"name\":\"burst-503\"");
        assertThat(text("GET", "/api/history", 200)).contains("\"points\":[").contains("\"fault_windows\":[]");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /api/load?rate=7&seconds=10                | 400 | choose one of [0, 1, 10, 50]
            POST | /api/load?rate=1e9                         | 400 | is not a whole number
            POST | /api/load?rate=10&seconds=99999999999      | 400 | is not a whole number
            POST | /api/load                                  | 400 | rate is missing
            POST | /api/faults/meteor                         | 404 | "error":"unknown_fault"
            POST | /api/faults/%3Cscript%3E%22                | 404 | "error":"unknown_fault"
            POST | /api/faults/latency                        | 503 | TOXIPROXY_URL
            GET  | /api/traces?limit=0                        | 400 | choose 1 to 200
            GET  | /api/traces?limit=-1                       | 400 | choose 1 to 200
            GET  | /api/traces?limit=99999999999999999999     | 400 | choose 1 to 200
            GET  | /api/nothing-here                          | 404 | "error":"not_found"
            """)
    void wrong_and_hostile_requests_get_json_errors_that_say_what_to_do(String method, String path, int status,
                                                                        String says) throws IOException {
        assertThat(text(method, path, status)).contains(says);
    }

    @ParameterizedTest(name = "Host {0}, Origin {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            localhost:PORT      | -                          | 200
            127.0.0.1:PORT      | http://127.0.0.1:PORT      | 200
            [::1]:PORT          | -                          | 200
            10.1.2.3:PORT       | http://10.1.2.3:PORT       | 200
            localhost:PORT      | http://evil.example        | 403
            localhost:PORT      | http://localhost:6666      | 403
            localhost:PORT      | null                       | 403
            evil.example:PORT   | -                          | 403
            rebound.test:PORT   | http://rebound.test:PORT   | 403
            """)
    void a_page_from_another_site_cannot_switch_faults_or_load_on(String host, String origin, int status)
            throws IOException {
        String port = String.valueOf(console.port());
        var request = new Request.Builder().url("http://127.0.0.1:" + port + "/api/load?rate=1&seconds=1")
                .header("Host", host.replace("PORT", port)).post(RequestBody.create(new byte[0]));
        if (origin != null) request.header("Origin", origin.replace("PORT", port));
        try (Response response = http.newCall(request.build()).execute()) {
            String body = response.body().string();
            assertThat(response.code()).as(body).isEqualTo(status);
            if (status == 403) assertThat(body).contains("\"error\":\"cross_site_refused\"", "http://");
        }
    }

    @Test
    void a_pasted_page_for_a_fault_name_gets_a_short_answer() throws IOException {
        assertThat(text("POST", "/api/faults/" + "a".repeat(5_000), 404)).hasSizeLessThan(400)
                .contains("no fault named \\\"" + "a".repeat(40) + "...\\\"");
    }

    @Test
    void clear_all_without_toxiproxy_clears_wiremocks_faults_and_says_what_it_could_not_reach() throws IOException {
        text("POST", "/api/faults/hostile-search", 200);

        assertThat(text("DELETE", "/api/faults", 200))
                .contains("\"note\":\"Cleared the faults of WireMock; not the others: Toxiproxy cannot be reached at")
                .contains("TOXIPROXY_URL").contains("\"cleared\":[\"WireMock\"]");
        assertThat(text("GET", "/api/faults", 200)).doesNotContain("\"active\":true");
    }

    @Test
    void the_load_reports_what_it_sent_and_how_it_was_answered() throws IOException {
        assertThat(text("POST", "/api/load?rate=10&seconds=2", 200)).contains("\"rate\":10");

        await().atMost(Duration.ofSeconds(5)).until(() -> text("GET", "/api/load", 200).contains("\"error\":"));
        await().atMost(Duration.ofSeconds(5)).until(() -> text("GET", "/api/load", 200).contains("\"rate\":0"));
        assertThat(text("GET", "/api/load", 200)).contains("\"seconds_left\":0").containsPattern("\"sent\":(1[5-9]|2[0-9])");
        assertThat(text("POST", "/api/load?rate=0", 200)).contains("\"sent\":0");
    }
}
