package dev.ambassadorlab.console.state;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns two scrapes of the ambassador's /metrics, some seconds apart, into a {@link StatePoint}. */
final class PodReading {
    private static final String DURATION = "ambassador_request_duration_seconds";

    private PodReading() {
    }

    static StatePoint between(long earlierMs, Scrape earlier, long laterMs, Scrape later) {
        double seconds = Math.max(0.001, (laterMs - earlierMs) / 1000.0);
        var latency = HistogramQuantile.increase(earlier.buckets(DURATION), later.buckets(DURATION));
        return new StatePoint(laterMs, true,
                rates(earlier, later, "ambassador_requests_total", "status", seconds),
                rates(earlier, later, "ambassador_request_endings_total", "ended", seconds),
                millis(HistogramQuantile.of(0.5, latency)), millis(HistogramQuantile.of(0.99, latency)),
                rate(earlier.total("ambassador_retries_total"), later.total("ambassador_retries_total"), seconds),
                later.byLabel("ambassador_circuit_breaker_state", "upstream"),
                gauge(later, "ambassador_bulkhead_in_flight"), gauge(later, "ambassador_bulkhead_limit"),
                gauge(later, "ambassador_requests_in_flight"), gauge(later, "ambassador_retry_budget_remaining"),
                rates(earlier, later, "ambassador_hedges_total", "result", seconds),
                perCallerRequest(earlier, later, "ambassador_upstream_attempts_total"));
    }

    /**
     * How much a counter grew for each caller's request answered in between, the caller's own retries
     * (ambassador_caller_retries_total) not counted as requests; null when nothing was answered.
     */
    private static Double perCallerRequest(Scrape earlier, Scrape later, String counter) {
        double requests = increase(earlier, later, "ambassador_requests_total")
                - increase(earlier, later, "ambassador_caller_retries_total");
        if (requests <= 0) return null;
        return increase(earlier, later, counter) / requests;
    }

    private static double increase(Scrape earlier, Scrape later, String counter) {
        return rate(earlier.total(counter), later.total(counter), 1);
    }

    private static Map<String, Double> rates(Scrape earlier, Scrape later, String counter, String label,
                                             double seconds) {
        Map<String, Double> before = earlier.byLabel(counter, label);
        Map<String, Double> rates = new LinkedHashMap<>();
        later.byLabel(counter, label).forEach((value, count) ->
                rates.put(value, rate(before.getOrDefault(value, 0.0), count, seconds)));
        return rates;
    }

    /** A counter's rate; one that fell was restarted, so all of its count is new. */
    private static double rate(double before, double after, double seconds) {
        return (after >= before ? after - before : after) / seconds;
    }

    private static Double gauge(Scrape scrape, String name) {
        return scrape.has(name) ? scrape.total(name) : null;
    }

    private static Double millis(Double seconds) {
        return seconds == null ? null : seconds * 1000;
    }
}
