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
        assertThat(retryAfter.requested(withHeader("3"))).contains(Duration.ofSeconds(3));
    }

    @Test
    void readsAnHttpDate() {
        assertThat(retryAfter.requested(withHeader("Thu, 26 Nov 2026 10:00:04 GMT"))).contains(Duration.ofSeconds(4));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(retryAfter.requested(withHeader("Thu, 26 Nov 2026 09:00:00 GMT"))).contains(Duration.ZERO);
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(retryAfter.requested(withHeader("soon"))).isEmpty();
        assertThat(retryAfter.requested(withHeader("-5"))).isEmpty();
        assertThat(retryAfter.requested(withHeader(null))).isEmpty();
        assertThat(retryAfter.requested(null)).isEmpty();
    }

    @Test
    void honoursWaitsUpToTheCapOnly() {
        assertThat(retryAfter.delayWithinCap(withHeader("5"))).contains(Duration.ofSeconds(5));
        assertThat(retryAfter.delayWithinCap(withHeader("6"))).isEmpty();
        assertThat(retryAfter.exceedsCap(withHeader("6"))).isTrue();
        assertThat(retryAfter.exceedsCap(withHeader("99999999999999"))).isTrue();
        assertThat(retryAfter.exceedsCap(withHeader(null))).isFalse();
    }
}
