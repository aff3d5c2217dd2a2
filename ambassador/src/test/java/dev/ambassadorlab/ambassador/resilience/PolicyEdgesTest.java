package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policies at their edges: a wait of exactly the cap, an attempt of exactly what is left, a window that has just
 * moved. The exercises' own tests show the behaviours; these pin where each one turns.
 */
class PolicyEdgesTest {
    private final RetryAfter retryAfter = new RetryAfter(Duration.ofSeconds(5),
            Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void retryAfterReadsNineDigitsAsTheyAreAndMoreAsAYear() {
        assertThat(retryAfter.requested(answer("999999999"))).contains(Duration.ofSeconds(999_999_999));
        assertThat(retryAfter.requested(answer("1000000000"))).contains(Duration.ofDays(365));
    }

    @Test
    void aWaitOfExactlyTheCapIsWaitedAndOneSecondMoreIsNot() {
        assertThat(retryAfter.exceedsCap(answer("5"))).isFalse();
        assertThat(retryAfter.delayWithinCap(answer("5"))).contains(Duration.ofSeconds(5));
        assertThat(retryAfter.exceedsCap(answer("6"))).isTrue();
        assertThat(retryAfter.exceedsCap(new UpstreamResponse(503, Headers.of(), new byte[0]))).isFalse();
    }

    @Test
    void anAttemptGetsTheAttemptTimeoutOrWhatIsLeftAndAWaitMustLeaveTimeAfterIt() {
        var timeouts = new Timeouts(Duration.ofMillis(1_000), Duration.ofMillis(6_000));
        assertThat(timeouts.forAttempt(Duration.ofMillis(1_000))).isEqualTo(Duration.ofMillis(1_000));
        assertThat(timeouts.forAttempt(Duration.ofMillis(999))).isEqualTo(Duration.ofMillis(999));
        assertThat(timeouts.forAttempt(Duration.ofMillis(1_001))).isEqualTo(Duration.ofMillis(1_000));
        assertThat(timeouts.leavesTimeAfter(Duration.ofMillis(500), Duration.ofMillis(500))).as("nothing left after")
                .isFalse();
        assertThat(timeouts.leavesTimeAfter(Duration.ofMillis(499), Duration.ofMillis(500))).isTrue();
        assertThat(timeouts.requestDeadline()).isEqualTo(Duration.ofMillis(6_000));
    }

    @Test
    void theBackoffCeilingDoublesToTheCapEvenWhenDoublingWouldOverflow() {
        var backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), retryAfter, () -> 1.0);
        assertThat(backoff.ceiling(3)).as("100 ms × 4: exactly the cap").isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(400));
        var huge = new Backoff(Duration.ofNanos(1L << 34), Duration.ofDays(1), retryAfter, () -> 0.5);
        assertThat(huge.ceiling(31)).as("2^34 ns doubled 30 times: past a long's 64 bits").isEqualTo(Duration.ofDays(1));
        assertThat(huge.ceiling(30)).as("2^34 ns doubled 29 times: negative as a long").isEqualTo(Duration.ofDays(1));
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), retryAfter, () -> 0.5).before(2, null))
                .as("jitter 0.5 of the upper half of 200 ms").isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void theBudgetsWindowMovesSlotBySlotAndForgetsWhatLeftIt() {
        AtomicLong now = new AtomicLong();
        var budget = new RetryBudget(1.0, 0, Duration.ofSeconds(10), now::get);
        budget.recordRequest();
        assertThat(budget.remaining()).isEqualTo(1.0);
        now.set(Duration.ofSeconds(9).toNanos());
        assertThat(budget.tryAcquireRetry()).as("9 s later, the request still counts").isTrue();
        assertThat(budget.remaining()).isZero();
        now.set(Duration.ofSeconds(10).toNanos());
        budget.recordRequest();
        assertThat(budget.tryAcquireRetry()).as("10 s on: the first request has left, the retry of 9 s has not")
                .isFalse();
        now.set(Duration.ofSeconds(19).toNanos() - 1);
        assertThat(budget.tryAcquireRetry()).as("just before the retry of 9 s leaves").isFalse();
        now.set(Duration.ofSeconds(19).toNanos());
        assertThat(budget.tryAcquireRetry()).as("19 s on: it has left, the request of 10 s earns one").isTrue();
        now.set(Duration.ofSeconds(45).toNanos());
        assertThat(budget.remaining()).as("long after, everything has left").isZero();
        assertThat(budget.tryAcquireRetry()).isFalse();
        budget.recordRequest();
        assertThat(budget.remaining()).as("and a new request earns a retry again").isEqualTo(1.0);
    }

    private static UpstreamResponse answer(String retryAfter) {
        return new UpstreamResponse(503, Headers.of(RetryAfter.HEADER, retryAfter), new byte[0]);
    }
}
