package dev.ambassadorlab.ambassador.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RecentLatenciesTest {
    @Test
    void theP95IsTheNearestRankOfTheAttemptsKept() {
        var recent = new RecentLatencies();
        for (int ms = 100; ms >= 1; ms--) recent.record(Duration.ofMillis(ms));
        assertThat(recent.p95()).isEqualTo(Duration.ofMillis(95));
    }

    @Test
    void tooFewAttemptsGiveNoDelay() {
        var recent = new RecentLatencies();
        for (int i = 1; i < RecentLatencies.FEWEST; i++) recent.record(Duration.ofMillis(10));
        assertThat(recent.p95()).as("%d attempts", RecentLatencies.FEWEST - 1).isNull();
        recent.record(Duration.ofMillis(10));
        assertThat(recent.p95()).as("%d attempts", RecentLatencies.FEWEST).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void onlyTheLatestAttemptsCount() {
        var recent = new RecentLatencies();
        for (int i = 0; i < RecentLatencies.KEPT; i++) recent.record(Duration.ofSeconds(5));
        for (int i = 0; i < RecentLatencies.KEPT; i++) recent.record(Duration.ofMillis(20));
        assertThat(recent.p95()).as("after %d fast attempts the slow ones are forgotten", RecentLatencies.KEPT)
                .isEqualTo(Duration.ofMillis(20));
    }
}
