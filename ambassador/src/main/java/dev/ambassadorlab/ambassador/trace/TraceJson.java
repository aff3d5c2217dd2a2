package dev.ambassadorlab.ambassador.trace;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.time.Instant;
import java.util.List;

/**
 * A trace as JSON, the form {@code /debug/requests} and its stream serve. Times are whole milliseconds from the
 * request's arrival ({@code offset_ms}) and lengths ({@code took_ms}); {@code status} of an attempt is left out when
 * no answer came.
 */
public final class TraceJson {
    private static final JsonStringEncoder JSON_STRING = JsonStringEncoder.getInstance();

    private TraceJson() {
    }

    public static String of(RequestTrace trace) {
        StringBuilder json = new StringBuilder(512)
                .append("{\"request_id\":\"").append(JSON_STRING.quoteAsString(trace.requestId()))
                .append("\",\"method\":\"").append(JSON_STRING.quoteAsString(trace.method()))
                .append("\",\"path\":\"").append(JSON_STRING.quoteAsString(trace.path()))
                .append("\",\"status\":").append(trace.status())
                .append(",\"ended\":\"").append(trace.ended().label())
                .append("\",\"started_at\":\"").append(Instant.ofEpochMilli(trace.startedAtMillis()))
                .append("\",\"took_ms\":").append(millis(trace.tookNanos()));
        if (trace.deadlineMs() > 0) json.append(",\"deadline_ms\":").append(trace.deadlineMs());
        json.append(",\"attempts\":[");
        List<RequestTrace.Attempt> attempts = trace.attempts();
        for (int i = 0; i < attempts.size(); i++) {
            RequestTrace.Attempt attempt = attempts.get(i);
            if (i > 0) json.append(',');
            json.append("{\"call\":\"").append(attempt.call())
                    .append("\",\"number\":").append(attempt.number())
                    .append(",\"offset_ms\":").append(millis(attempt.offsetNanos()))
                    .append(",\"took_ms\":").append(millis(attempt.tookNanos()))
                    .append(",\"outcome\":\"").append(attempt.outcome()).append('"');
            if (attempt.status() != 0) json.append(",\"status\":").append(attempt.status());
            if (attempt.limitMs() > 0) json.append(",\"limit_ms\":").append(attempt.limitMs());
            if (attempt.hedge()) json.append(",\"hedge\":true");
            json.append('}');
        }
        json.append("],\"waits\":[");
        List<RequestTrace.Wait> waits = trace.waits();
        for (int i = 0; i < waits.size(); i++) {
            RequestTrace.Wait wait = waits.get(i);
            if (i > 0) json.append(',');
            json.append("{\"call\":\"").append(wait.call())
                    .append("\",\"after_attempt\":").append(wait.afterAttempt())
                    .append(",\"offset_ms\":").append(millis(wait.offsetNanos()))
                    .append(",\"took_ms\":").append(millis(wait.tookNanos()))
                    .append(",\"reason\":\"").append(wait.reason()).append("\"}");
        }
        return json.append("]}").toString();
    }

    /** Traces as one JSON array, in the order given. */
    public static String of(List<RequestTrace> traces) {
        StringBuilder json = new StringBuilder(512 * traces.size() + 2).append('[');
        for (int i = 0; i < traces.size(); i++) {
            if (i > 0) json.append(',');
            json.append(of(traces.get(i)));
        }
        return json.append(']').toString();
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
