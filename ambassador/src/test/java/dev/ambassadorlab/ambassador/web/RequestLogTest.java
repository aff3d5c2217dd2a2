package dev.ambassadorlab.ambassador.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The status label of ambassador_requests_total, by the status a caller got. */
class RequestLogTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"200, success", "304, success", "399, success", "400, client_error", "404, client_error",
            "499, client_error", "500, error", "502, bad_gateway", "503, unavailable", "504, timeout", "599, error"})
    void eachStatusHasItsLabel(int status, String label) {
        assertThat(RequestLog.statusLabel(status, false)).isEqualTo(label);
        assertThat(RequestLog.statusLabel(status, true)).as("a stale answer").isEqualTo("stale");
    }
}
