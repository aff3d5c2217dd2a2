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
        assertThat(backoff.ceiling(1)).as("the ceiling before retry 1: the base, 100 ms")
                .isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).as("before retry 2: doubled").isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(4)).as("before retry 4: 100 ms × 2³").isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(5)).as("before retry 5: the 1000 ms cap").isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.ceiling(60)).as("before retry 60: still the cap, no overflow")
                .isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void jitterKeepsEachWaitInTheUpperHalfOfItsCeiling() {
        for (int retry = 1; retry <= 6; retry++) {
            Duration ceiling = withRandom(0).ceiling(retry);
            assertThat(withRandom(0.0).before(retry, null)).as("the wait before retry %d at the lowest jitter: half "
                    + "its ceiling of %d ms", retry, ceiling.toMillis()).isEqualTo(ceiling.dividedBy(2));
            assertThat(withRandom(0.999_999).before(retry, null)).as("the wait before retry %d at the highest "
                    + "jitter: within its ceiling of %d ms", retry, ceiling.toMillis())
                    .isBetween(ceiling.dividedBy(2), ceiling);
        }
    }

    @Test
    void aRetryAfterWithinTheCapReplacesTheBackoffExactly() {
        var answer = new UpstreamResponse(429, Headers.of("Retry-After", "2"), new byte[0]);

        assertThat(withRandom(0.0).before(1, answer)).as("the wait after a 429 with Retry-After: 2 (cap 5 s): "
                + "exactly 2 s").isEqualTo(Duration.ofSeconds(2));
        assertThat(withRandom(0.9).before(3, answer)).as("the wait before retry 3 after Retry-After: 2: still "
                + "exactly 2 s, no jitter on an explicit wait").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterBeyondTheCapIsNotWaited() {
        var answer = new UpstreamResponse(503, Headers.of("Retry-After", "120"), new byte[0]);

        assertThat(withRandom(0.0).before(1, answer)).as("the wait after Retry-After: 120, over the 5 s cap: the "
                + "usual backoff (50 ms at the lowest jitter)").isEqualTo(Duration.ofMillis(50));
        assertThat(retryAfter.exceedsCap(answer)).as("exceedsCap() for Retry-After: 120, over the 5 s cap").isTrue();
    }
}
