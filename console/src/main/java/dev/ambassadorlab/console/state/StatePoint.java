package dev.ambassadorlab.console.state;

import java.util.Map;

/**
 * The pod at one moment, as the page draws it: rates over the last few seconds, latency quantiles of the requests
 * answered in them, and the ambassador's gauges. Values the ambassador does not expose (or an ambassador that is not
 * up) are null.
 *
 * @param time           milliseconds since the epoch
 * @param requestsPerSecond answers by outcome (ambassador_requests_total{status})
 * @param endingsPerSecond  answers by ending reason (ambassador_request_endings_total{ended})
 * @param breakers       breaker state per upstream: 0 closed, 1 half-open, 2 open
 * @param hedgesPerSecond   hedged copies by what became of them: won, lost, cancelled (ambassador_hedges_total)
 * @param upstreamCallsPerRequest upstream attempts per caller's request over the last seconds, a request its
 *                          caller sent again (X-Retry-Attempt) not counted as a new one: the amplification of both
 *                          layers' retries (and hedges), 1 when nothing is retried
 */
public record StatePoint(long time, boolean ambassadorUp, Map<String, Double> requestsPerSecond,
                         Map<String, Double> endingsPerSecond, Double p50Ms, Double p99Ms, Double retriesPerSecond,
                         Map<String, Double> breakers, Double bulkheadInUse, Double bulkheadLimit,
                         Double requestsInFlight, Double retryBudgetLeft, Map<String, Double> hedgesPerSecond,
                         Double upstreamCallsPerRequest) {

    static StatePoint down(long time) {
        return new StatePoint(time, false, Map.of(), Map.of(), null, null, null, Map.of(), null, null, null, null,
                Map.of(), null);
    }
}
