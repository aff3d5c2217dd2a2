package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import dev.failsafe.CircuitBreaker;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit breaker per upstream ("host:port"), so a dead image host does not block searches. While a breaker is
 * open, calls fail fast without touching the upstream; after a pause one probe is let through (half-open) and its
 * result closes or reopens the breaker.
 */
public final class CircuitBreakers {
    private final int failureThreshold;
    private final Duration openDuration;
    private final AmbassadorMetrics metrics;
    private final Map<String, CircuitBreaker<UpstreamResponse>> byUpstream = new ConcurrentHashMap<>();

    public CircuitBreakers(int failureThreshold, Duration openDuration, AmbassadorMetrics metrics) {
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.metrics = metrics;
        metrics.watchBreakers(this::states);
    }

    public CircuitBreaker<UpstreamResponse> forUpstream(String upstream) {
        // A plain read first: every call asks, and computeIfAbsent costs more even when the breaker is there.
        CircuitBreaker<UpstreamResponse> breaker = byUpstream.get(upstream);
        return breaker != null ? breaker : byUpstream.computeIfAbsent(upstream, this::create);
    }

    private CircuitBreaker<UpstreamResponse> create(String upstream) {
        return CircuitBreaker.<UpstreamResponse>builder()
                // Failures that say the upstream itself is in trouble; a 4xx or a 429 is an answer, not an outage.
                .handle(IOException.class)
                .handleResultIf(response -> response.status() >= 500)
                // Open after this many failures in a row...
                .withFailureThreshold(failureThreshold)
                // ...stay open this long, then let one probe through; its success closes the breaker again.
                .withDelay(openDuration)
                .withSuccessThreshold(1)
                .onOpen(event -> metrics.breakerEntered(upstream, CircuitBreaker.State.OPEN))
                .onHalfOpen(event -> metrics.breakerEntered(upstream, CircuitBreaker.State.HALF_OPEN))
                .onClose(event -> metrics.breakerEntered(upstream, CircuitBreaker.State.CLOSED))
                .build();
    }

    /** Each known upstream's breaker state, sorted by upstream. */
    public Map<String, CircuitBreaker.State> states() {
        Map<String, CircuitBreaker.State> states = new TreeMap<>();
        byUpstream.forEach((upstream, breaker) -> states.put(upstream, breaker.getState()));
        return states;
    }
}
