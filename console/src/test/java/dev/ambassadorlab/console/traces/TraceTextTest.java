package dev.ambassadorlab.console.traces;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

public class TraceTextTest {
    public static final String TWO_503S_THEN_A_CAT = """
            {"request_id":"3f2a","method":"GET","path":"/images/latest","status":200,"ended":"success",
             "started_at":"2026-12-06T23:10:04.123Z","took_ms":412,
             "attempts":[{"call":"search","number":1,"offset_ms":0,"took_ms":12,"outcome":"server_error","status":503},
                         {"call":"search","number":2,"offset_ms":99,"took_ms":10,"outcome":"server_error","status":503},
                         {"call":"search","number":3,"offset_ms":310,"took_ms":9,"outcome":"success","status":200},
                         {"call":"image","number":1,"offset_ms":322,"took_ms":30,"outcome":"success","status":200}],
             "waits":[{"call":"search","after_attempt":1,"offset_ms":12,"took_ms":87,"reason":"backoff"},
                      {"call":"search","after_attempt":2,"offset_ms":109,"took_ms":201,"reason":"backoff"}],
             "a_field_added_later":true}""";

    @Test
    void each_call_gets_one_line_with_its_attempts_and_the_waits_between_them() {
        assertThat(TraceText.format(Trace.parse(TWO_503S_THEN_A_CAT))).isEqualTo("""
                GET /images/latest -> 200 success (412 ms) [3f2a]
                    search #1 -> 503 (12 ms) · wait 87 ms (backoff) · #2 -> 503 (10 ms) · wait 201 ms (backoff) · #3 -> 200 (9 ms)
                    image  #1 -> 200 (30 ms)""");
    }

    @Test
    void an_attempt_without_an_answer_shows_its_outcome_and_an_odd_outcome_shows_next_to_its_status() {
        var trace = Trace.parse("""
                {"request_id":"r1","method":"GET","path":"/images/latest","status":502,"ended":"retries_exhausted",
                 "took_ms":3100,
                 "attempts":[{"call":"search","number":1,"offset_ms":0,"took_ms":1500,"outcome":"timeout"},
                             {"call":"search","number":2,"offset_ms":1600,"took_ms":5,"outcome":"bad_answer","status":200}],
                 "waits":[{"call":"search","after_attempt":1,"offset_ms":1500,"took_ms":100,"reason":"retry_after"}]}""");

        assertThat(TraceText.format(trace)).isEqualTo("""
                GET /images/latest -> 502 retries_exhausted (3100 ms) [r1]
                    search #1 -> timeout (1500 ms) · wait 100 ms (retry_after) · #2 -> 200 bad_answer (5 ms)""");
    }

    @Test
    void the_deadline_and_each_attempts_time_show_how_it_shrank_and_a_hedged_copy_says_so() {
        var trace = Trace.parse("""
                {"request_id":"r3","method":"GET","path":"/v1/breeds","status":200,"ended":"success","took_ms":180,
                 "deadline_ms":800,
                 "attempts":[{"call":"passthrough","number":1,"offset_ms":160,"took_ms":14,"outcome":"success",
                              "status":200,"limit_ms":640,"hedge":true},
                             {"call":"passthrough","number":1,"offset_ms":0,"took_ms":178,"outcome":"cancelled",
                              "limit_ms":799}],
                 "waits":[]}""");

        assertThat(TraceText.format(trace)).isEqualTo("""
                GET /v1/breeds -> 200 success (180 ms of 800) [r3]
                    passthrough #1 hedge -> 200 (14 ms of 640) · #1 -> cancelled (178 ms of 799)""");
    }

    @Test
    void a_request_that_never_reached_the_upstream_says_so() {
        var trace = Trace.parse("""
                {"request_id":"r2","method":"GET","path":"/images/latest","status":503,"ended":"breaker_open",
                 "took_ms":1,"attempts":[],"waits":[]}""");

        assertThat(TraceText.format(trace)).isEqualTo("""
                GET /images/latest -> 503 breaker_open (1 ms) [r2]
                    no upstream attempt""");
    }

    /**
     * The text goes to a terminal (./lab up, a failed scenario's message), and the trace comes from an ambassador that
     * may be anyone's (./lab grade IMAGE): its strings could move the cursor, clear the screen, retitle the window or
     * forge a log line. Every control and format character is shown as its code instead.
     */
    @Test
    void control_and_format_characters_from_the_trace_are_shown_as_their_codes_not_sent_to_the_terminal() {
        var trace = Trace.parse("""
                {"request_id":"r\\u001b]0;owned\\u0007","method":"GET\\u009b2J",
                 "path":"/v1/a\\nFAILED forged\\r\\u202egpj.exe","status":200,"ended":"success\\u001b[2J","took_ms":1,
                 "attempts":[{"call":"search\\u200b","number":1,"offset_ms":0,"took_ms":1,"outcome":"odd\\u0000",
                              "status":200}],
                 "waits":[]}""");

        String text = TraceText.format(trace);

        assertThat(text).as("no control or format character but the line breaks between lines")
                .doesNotContain("\u001b", "\u0007", "\u009b", "\r", "\u202e", "\u200b", "\u0000")
                .contains("/v1/a\\u000aFAILED forged\\u000d\\u202egpj.exe", "r\\u001b]0;owned\\u0007");
        assertThat(text.lines()).as("the request's line and its one call's line").hasSize(2);
    }
}
