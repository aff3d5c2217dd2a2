package dev.ambassadorlab.labtests;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed scenario's lines: its worded message, then the trace of the request it judged, all indented. */
class ScenarioLogTest {
    @Test
    void theTraceFollowsTheMessageIndentedUnderTheScenario() {
        String trace = "GET /images/latest -> 503 retries_exhausted (310 ms) [scenario-4]\n"
                + "    search #1 -> 503 (12 ms) · wait 87 ms (backoff) · #2 -> 503 (10 ms)";

        String shown = ScenarioLog.worded("expected 2 retries;\n/metrics shows 0", Optional.of(trace));

        assertThat(shown.lines()).containsExactly(
                "        expected 2 retries;",
                "        /metrics shows 0",
                "        What the ambassador decided for the last request:",
                "        GET /images/latest -> 503 retries_exhausted (310 ms) [scenario-4]",
                "            search #1 -> 503 (12 ms) · wait 87 ms (backoff) · #2 -> 503 (10 ms)");
    }

    @Test
    void withoutATraceOnlyTheMessageIsShown() {
        assertThat(ScenarioLog.worded("expected 200; got 503", Optional.empty()))
                .isEqualTo("        expected 200; got 503");
        assertThat(ScenarioLog.worded(null, Optional.empty())).isEqualTo("        null");
    }
}
