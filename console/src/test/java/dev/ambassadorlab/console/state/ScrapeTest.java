package dev.ambassadorlab.console.state;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScrapeTest {
    static final String METRICS = """
            # HELP ambassador_requests_total Requests the ambassador answered
            # TYPE ambassador_requests_total counter
            ambassador_requests_total{status="success"} 8.0
            ambassador_requests_total{status="unavailable"} 2.0
            ambassador_retries_total 4.0
            ambassador_circuit_breaker_state{upstream="toxiproxy:8666"} 2.0
            ambassador_bulkhead_in_flight 3.0
            odd_label{text="say \\"hi\\", then go"} 1
            not a sample line
            ambassador_request_duration_seconds_bucket{le="0.1"} 5
            ambassador_request_duration_seconds_bucket{le="0.5"} 9
            ambassador_request_duration_seconds_bucket{le="+Inf"} 10
            """;

    @Test
    void samples_are_read_with_their_labels_and_broken_lines_are_skipped() {
        var scrape = Scrape.parse(METRICS);

        assertThat(scrape.byLabel("ambassador_requests_total", "status"))
                .containsExactly(Map.entry("success", 8.0), Map.entry("unavailable", 2.0));
        assertThat(scrape.total("ambassador_retries_total")).isEqualTo(4.0);
        assertThat(scrape.byLabel("ambassador_circuit_breaker_state", "upstream")).containsEntry("toxiproxy:8666", 2.0);
        assertThat(scrape.byLabel("odd_label", "text")).containsOnlyKeys("say \"hi\", then go");
        assertThat(scrape.has("ambassador_retry_budget_remaining")).isFalse();
        assertThat(scrape.buckets("ambassador_request_duration_seconds")).containsValues(5.0, 9.0, 10.0);
    }

    @Test
    void quantiles_are_interpolated_within_their_bucket() {
        var buckets = Scrape.parse(METRICS).buckets("ambassador_request_duration_seconds");

        assertThat(HistogramQuantile.of(0.5, buckets)).isCloseTo(0.1, within(1e-9));
        assertThat(HistogramQuantile.of(0.7, buckets)).isCloseTo(0.3, within(1e-9));
        assertThat(HistogramQuantile.of(0.99, buckets)).as("in the +Inf bucket: the highest bound").isEqualTo(0.5);
    }

    @Test
    void two_scrapes_give_rates_and_the_latency_of_the_requests_between_them() {
        var earlier = Scrape.parse("""
                ambassador_requests_total{status="success"} 2
                ambassador_retries_total 1
                ambassador_request_duration_seconds_bucket{le="0.1"} 2
                ambassador_request_duration_seconds_bucket{le="1"} 2
                ambassador_request_duration_seconds_bucket{le="+Inf"} 2
                """);
        var later = Scrape.parse("""
                ambassador_requests_total{status="success"} 12
                ambassador_requests_total{status="timeout"} 5
                ambassador_retries_total 6
                ambassador_request_duration_seconds_bucket{le="0.1"} 2
                ambassador_request_duration_seconds_bucket{le="1"} 12
                ambassador_request_duration_seconds_bucket{le="+Inf"} 12
                ambassador_retry_budget_remaining 9
                """);

        StatePoint point = PodReading.between(10_000, earlier, 15_000, later);

        assertThat(point.requestsPerSecond()).containsEntry("success", 2.0).containsEntry("timeout", 1.0);
        assertThat(point.retriesPerSecond()).isEqualTo(1.0);
        assertThat(point.p50Ms()).as("all ten new answers took 0.1 to 1 s").isCloseTo(550.0, within(1e-6));
        assertThat(point.retryBudgetLeft()).isEqualTo(9.0);
        assertThat(point.bulkheadLimit()).as("not exposed").isNull();
    }

    @Test
    void a_counter_that_fell_was_restarted_so_all_its_count_is_new() {
        var before = Scrape.parse("ambassador_retries_total 50\n");
        var after = Scrape.parse("ambassador_retries_total 3\n");

        assertThat(PodReading.between(0, before, 1_000, after).retriesPerSecond()).isEqualTo(3.0);
    }
}
