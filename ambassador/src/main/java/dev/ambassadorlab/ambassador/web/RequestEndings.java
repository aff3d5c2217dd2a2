package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.trace.Ending;
import dev.ambassadorlab.ambassador.trace.RequestTrace;
import dev.ambassadorlab.ambassador.trace.TraceBuffer;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where a finished request's trace goes: its ending counted in {@code ambassador_request_endings_total{ended}}, the
 * trace itself kept in the {@link TraceBuffer} that {@code /debug/requests} serves.
 */
public final class RequestEndings {
    private final Map<Ending, CounterDataPoint> counts = new EnumMap<>(Ending.class);
    private final TraceBuffer traces;

    public RequestEndings(PrometheusRegistry registry, TraceBuffer traces) {
        this.traces = traces;
        Counter endings = Counter.builder().name("ambassador_request_endings")
                .help("Proxied requests by how they ended: success, retries_exhausted, breaker_open, ... "
                        + "(docs/request-lifecycle.md lists them)")
                .labelNames("ended").register(registry);
        // Every ending from the start, at 0: a dashboard shows the ones that have not happened yet.
        for (Ending ending : Ending.values()) counts.put(ending, endings.labelValues(ending.label()));
    }

    public void record(RequestTrace trace) {
        counts.get(trace.ended()).inc();
        traces.add(trace);
    }

    public TraceBuffer traces() {
        return traces;
    }
}
