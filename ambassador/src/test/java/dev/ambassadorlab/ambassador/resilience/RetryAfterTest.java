package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private final RetryAfter retryAfter = new RetryAfter(Duration.ofSeconds(5), clock);

    private static UpstreamResponse withHeader(String value) {
        return new UpstreamResponse(503, value == null ? Headers.of() : Headers.of("Retry-After", value), new byte[0]);
    }

    @Test
    void readsDeltaSeconds() {
        assertThat(retryAfter.requested(withHeader("3"))).as("requested() for Retry-After: 3 (whole seconds)")
                .contains(Duration.ofSeconds(3));
    }

    @Test
    void readsAnHttpDate() {
        assertThat(retryAfter.requested(withHeader("Thu, 26 Nov 2026 10:00:04 GMT")))
                .as("requested() for Retry-After: an HTTP date 4 s after the clock's 10:00:00")
                .contains(Duration.ofSeconds(4));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(retryAfter.requested(withHeader("Thu, 26 Nov 2026 09:00:00 GMT")))
                .as("requested() for Retry-After: an HTTP date an hour before the clock's 10:00:00")
                .contains(Duration.ZERO);
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(retryAfter.requested(withHeader("soon"))).as("requested() for Retry-After: soon").isEmpty();
        assertThat(retryAfter.requested(withHeader("-5"))).as("requested() for Retry-After: -5").isEmpty();
        assertThat(retryAfter.requested(withHeader(null))).as("requested() without a Retry-After").isEmpty();
        assertThat(retryAfter.requested(null)).as("requested() without an answer (a failed attempt)").isEmpty();
    }

    @Test
    void honoursWaitsUpToTheCapOnly() {
        assertThat(retryAfter.delayWithinCap(withHeader("5"))).as("delayWithinCap() for Retry-After: 5, the cap")
                .contains(Duration.ofSeconds(5));
        assertThat(retryAfter.delayWithinCap(withHeader("6"))).as("delayWithinCap() for Retry-After: 6, over the "
                + "5 s cap").isEmpty();
        assertThat(retryAfter.exceedsCap(withHeader("6"))).as("exceedsCap() for Retry-After: 6, over the 5 s cap")
                .isTrue();
        assertThat(retryAfter.exceedsCap(withHeader("99999999999999"))).as("exceedsCap() for Retry-After: "
                + "99999999999999 seconds, too large for a Duration").isTrue();
        assertThat(retryAfter.exceedsCap(withHeader(null))).as("exceedsCap() without a Retry-After").isFalse();
    }
}
