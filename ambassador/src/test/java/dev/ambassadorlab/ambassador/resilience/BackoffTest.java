package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private final RetryAfter retryAfter = new RetryAfter(Duration.ofSeconds(5), Clock.systemUTC());

    private Backoff withRandom(double random) {
        return new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), retryAfter, () -> random);
    }

    @Test
    void theWaitDoublesFromTheBaseAndStopsAtTheCap() {
        var backoff = withRandom(0.0);
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.ceiling(60)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void jitterKeepsEachWaitInTheUpperHalfOfItsCeiling() {
        for (int retry = 1; retry <= 6; retry++) {
            Duration ceiling = withRandom(0).ceiling(retry);
            assertThat(withRandom(0.0).before(retry, null)).isEqualTo(ceiling.dividedBy(2));
            assertThat(withRandom(0.999_999).before(retry, null)).isBetween(ceiling.dividedBy(2), ceiling);
        }
    }

    @Test
    void aRetryAfterWithinTheCapReplacesTheBackoffExactly() {
        var answer = new UpstreamResponse(429, Headers.of("Retry-After", "2"), new byte[0]);

        assertThat(withRandom(0.0).before(1, answer)).isEqualTo(Duration.ofSeconds(2));
        assertThat(withRandom(0.9).before(3, answer)).as("no jitter on an explicit wait").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterBeyondTheCapIsNotWaited() {
        var answer = new UpstreamResponse(503, Headers.of("Retry-After", "120"), new byte[0]);

        assertThat(withRandom(0.0).before(1, answer)).isEqualTo(Duration.ofMillis(50));
        assertThat(retryAfter.exceedsCap(answer)).isTrue();
    }
}
