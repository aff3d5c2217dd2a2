package dev.ambassadorlab.console.traces;

import com.github.tomakehurst.wiremock.WireMockServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What the feed does with a stream that sends more than traces: it skips the rest, says so, and keeps reading. */
class TraceFeedTest {
    private static final String GOOD = TraceTextTest.TWO_503S_THEN_A_CAT.replace("\n", "");
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final TraceBuffer buffer = new TraceBuffer(10);
    private WireMockServer ambassador;
    private TraceFeed feed;

    @BeforeEach
    void start() {
        ambassador = new WireMockServer(options().dynamicPort());
        ambassador.start();
    }

    @AfterEach
    void stop() {
        if (feed != null) feed.close();
        ambassador.stop();
    }

    private String follow(String stream) {
        ambassador.stubFor(get("/debug/requests/stream").willReturn(aResponse()
                .withHeader("Content-Type", "text/event-stream").withBody(stream)));
        feed = new TraceFeed(HttpUrl.get(ambassador.baseUrl()), new OkHttpClient(), buffer,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        feed.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !buffer.latest(1).isEmpty());
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_huge_a_garbled_and_an_incomplete_trace_are_skipped_with_a_note_and_the_next_one_is_kept() {
        String huge = "{\"request_id\":\"" + "x".repeat(TraceFeed.MAX_TRACE_BYTES * 3) + "\"}";
        String printed = follow("event: trace\ndata: " + huge + "\n\n"
                + "event: trace\ndata: {not json\n\n"
                + "event: trace\ndata: {\"method\":\"GET\",\"path\":\"/images/latest\",\"ended\":\"success\"}\n\n"
                + "event: trace\ndata: " + GOOD + "]}\n\n"
                + "event: trace\ndata: " + GOOD + "\n\n");

        assertThat(buffer.latest(10)).hasSize(1).allSatisfy(json -> assertThat(json).startsWith("{\"request_id\":\"3f2a\""));
        assertThat(printed.lines().filter(line -> line.startsWith("(a trace from the ambassador was skipped: ")))
                .hasSize(4)
                .anySatisfy(line -> assertThat(line).contains("longer than 65536 bytes"))
                .anySatisfy(line -> assertThat(line).contains("no request_id"));
        assertThat(printed).contains("GET /images/latest -> 200 success (412 ms) [3f2a]").doesNotContain("xxxxxxxx");
    }

    @Test
    void a_trace_in_several_data_lines_is_kept_on_one_line_so_it_relays_as_one_event() {
        follow("event: trace\ndata: " + TraceTextTest.TWO_503S_THEN_A_CAT.replace("\n", "\ndata: ") + "\n\n");

        assertThat(buffer.latest(1).get(0)).doesNotContain("\n").contains("\"a_field_added_later\":true");
    }

    @Test
    void a_line_longer_than_the_limit_is_skipped_to_its_end_and_the_next_line_read() throws IOException {
        var source = new Buffer().writeUtf8("y".repeat(TraceFeed.MAX_TRACE_BYTES * 2) + "\nevent: trace\r\nlast");

        assertThat(TraceFeed.readLine(source)).isNotEqualTo("y".repeat(TraceFeed.MAX_TRACE_BYTES * 2));
        assertThat(TraceFeed.readLine(source)).isEqualTo("event: trace");
        assertThat(TraceFeed.readLine(source)).isEqualTo("last");
        assertThat(TraceFeed.readLine(source)).isNull();
    }

    @Test
    void json_that_is_not_a_trace_object_is_refused_with_what_is_wrong() {
        assertThatThrownBy(() -> Trace.read("null")).hasMessage("not a trace: null");
        assertThatThrownBy(() -> Trace.read("[1]")).hasMessageStartingWith("not a trace: ");
        assertThatThrownBy(() -> Trace.read("""
                {"request_id":"r","method":"GET","path":"/","ended":"success","attempts":[{"number":1}]}"""))
                .hasMessage("not a trace: no call or outcome in an attempt");
    }
}
