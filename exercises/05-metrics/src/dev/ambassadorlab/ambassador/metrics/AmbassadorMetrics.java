package dev.ambassadorlab.ambassador.metrics;

import dev.failsafe.CircuitBreaker;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Everything the ambassador counts, in one registry that is scraped at {@code GET /metrics}. The first three are the
 * core metrics every ambassador the chaos suite grades must expose; the rest tell the story of each policy. Labels
 * stay low-cardinality: a status class, an upstream "host:port" (bounded by the allowlist) and an outcome.
 */
public final class AmbassadorMetrics {
    private static final PrometheusTextFormatWriter TEXT_FORMAT = PrometheusTextFormatWriter.create();
    private final PrometheusRegistry registry;
    private final Counter requests;
    // TODO(05): the two metrics this exercise adds, the latency histogram and the attempts counter, live here too.
    private final Counter retries;
    private final Counter budgetRejections;
    private final Counter bulkheadRejections;
    private final Counter breakerRejections;
    private final Counter breakerTransitions;
    private final Counter fallbacks;
    private final Counter imagesSaved;

    public AmbassadorMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        requests = Counter.builder().name("ambassador_requests")
                .help("Requests the ambassador answered, by outcome: success, stale, client_error, bad_gateway, unavailable, timeout, error")
                .labelNames("status").register(registry);
        requests.initLabelValues("success");
        // TODO(05): a histogram "ambassador_request_duration_seconds" with classic buckets only, from 5 ms to 30 s
        retries = Counter.builder().name("ambassador_retries")
                .help("Retries sent upstream after a failed attempt")
                .register(registry);
        // TODO(05): a Counter "ambassador_upstream_attempts" (exposed with _total) labelled by upstream and outcome
        budgetRejections = Counter.builder().name("ambassador_retry_budget_rejections")
                .help("Retries not sent because the retry budget was spent")
                .register(registry);
        bulkheadRejections = Counter.builder().name("ambassador_bulkhead_rejections")
                .help("Requests refused at once because the bulkhead was full")
                .register(registry);
        breakerRejections = Counter.builder().name("ambassador_circuit_breaker_rejections")
                .help("Calls failed fast, without touching the upstream, because its circuit breaker was open")
                .labelNames("upstream").register(registry);
        breakerTransitions = Counter.builder().name("ambassador_circuit_breaker_transitions")
                .help("Circuit breaker state changes, by upstream and the state entered")
                .labelNames("upstream", "state").register(registry);
        fallbacks = Counter.builder().name("ambassador_fallbacks")
                .help("Stale images served because the upstream was unavailable")
                .register(registry);
        imagesSaved = Counter.builder().name("ambassador_images_saved")
                .help("Images downloaded, checked and saved to IMAGES_DIR")
                .register(registry);
    }

    public void requestFinished(String status, double seconds) {
        requests.labelValues(status).inc();
        // TODO(05): observe how long the request took, in the latency histogram
    }

    public void attempted(String upstream, String outcome) {
        // TODO(05): count the attempt, by upstream and outcome
    }

    public void retried() {
        retries.inc();
    }

    public void retryBudgetRejected() {
        budgetRejections.inc();
    }

    public void bulkheadRejected() {
        bulkheadRejections.inc();
    }

    public void breakerRejected(String upstream) {
        breakerRejections.labelValues(upstream).inc();
    }

    public void breakerEntered(String upstream, CircuitBreaker.State state) {
        breakerTransitions.labelValues(upstream, stateName(state)).inc();
    }

    public void fallbackServed() {
        fallbacks.inc();
    }

    public void imageSaved() {
        imagesSaved.inc();
    }

    /** Breaker state per upstream as a number an alert can compare: 0 closed, 1 half-open, 2 open. */
    public void watchBreakers(Supplier<Map<String, CircuitBreaker.State>> states) {
        // TODO(05): a gauge "ambassador_circuit_breaker_state" labelled by upstream, its values read from `states`
        //  each time /metrics is scraped: stateValue(state), 0 closed, 1 half-open, 2 open
    }

    public void watchRequestsInFlight(DoubleSupplier inFlight) {
        GaugeWithCallback.builder().name("ambassador_requests_in_flight")
                .help("Callers' requests the ambassador is serving right now, their bodies still arriving included")
                .callback(gauge -> gauge.call(inFlight.getAsDouble()))
                .register(registry);
    }

    public void watchRetryBudget(DoubleSupplier remaining) {
        GaugeWithCallback.builder().name("ambassador_retry_budget_remaining")
                .help("Retries the budget still allows in the current window")
                .callback(gauge -> gauge.call(remaining.getAsDouble()))
                .register(registry);
    }

    public void watchBulkhead(DoubleSupplier inFlight, int limit) {
        GaugeWithCallback.builder().name("ambassador_bulkhead_in_flight")
                .help("Requests holding a bulkhead permit right now")
                .callback(gauge -> gauge.call(inFlight.getAsDouble()))
                .register(registry);
        GaugeWithCallback.builder().name("ambassador_bulkhead_limit")
                .help("The bulkhead's cap on concurrent upstream work (BULKHEAD_MAX_CONCURRENT)")
                .callback(gauge -> gauge.call(limit))
                .register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        var out = new ByteArrayOutputStream();
        try {
            TEXT_FORMAT.write(out, registry.scrape());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public String contentType() {
        return TEXT_FORMAT.getContentType();
    }

    private static double stateValue(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static String stateName(CircuitBreaker.State state) {
        return state.name().toLowerCase().replace('_', '-');
    }
}
