package dev.ambassadorlab.ambassador.web;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import io.javalin.http.Context;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One JSON line per proxied request on standard output, carrying its request id, plus the request counter, the
 * latency histogram and the count of requests in flight. Probes and scrapes are on the admin port, out of all three.
 */
public final class RequestLog {
    public static final String CONTEXT_KEY = "ambassador.request";
    private static final String IN_FLIGHT_KEY = "ambassador.in-flight";
    private static final JsonStringEncoder JSON_STRING = JsonStringEncoder.getInstance();
    private final AmbassadorMetrics metrics;
    private final PrintStream out;
    private final AtomicInteger inFlight = new AtomicInteger();

    public RequestLog(AmbassadorMetrics metrics, PrintStream out) {
        this.metrics = metrics;
        this.out = out;
        metrics.watchRequestsInFlight(inFlight::get);
    }

    /** Called as a proxied request starts, before anything about it is read or checked. */
    public void started(Context ctx) {
        ctx.attribute(IN_FLIGHT_KEY, Boolean.TRUE);
        inFlight.incrementAndGet();
    }

    /** Called by Javalin after every request; acts only on requests that went through the ambassador's policies. */
    public void finished(Context ctx, float millis) {
        if (ctx.attribute(IN_FLIGHT_KEY) != null) inFlight.decrementAndGet();
        RequestContext request = ctx.attribute(CONTEXT_KEY);
        if (request == null) return;
        String status = statusLabel(ctx.statusCode(), request.servedStale());
        metrics.requestFinished(status, request.elapsed().toNanos() / 1e9);

        // Written by hand, one print of one string per request: a map through Jackson cost more than the rest of the
        // line's work. The request id is a plain token (CallerHeaders); the path is escaped like any JSON string.
        var line = new StringBuilder(256)
                .append("{\"ts\":\"").append(Instant.now())
                .append("\",\"request_id\":\"").append(request.requestId())
                .append("\",\"method\":\"").append(ctx.req().getMethod())
                .append("\",\"path\":\"").append(JSON_STRING.quoteAsString(ctx.path()))
                .append("\",\"status\":").append(ctx.statusCode())
                .append(",\"outcome\":\"").append(status)
                .append("\",\"attempts\":").append(request.attempts())
                .append(",\"retries\":").append(request.retries())
                .append(",\"duration_ms\":").append(Math.round(request.elapsed().toNanos() / 1e6))
                .append("}\n");
        out.print(line);
    }

    /** The {@code status} label of {@code ambassador_requests_total}: a class of outcome, not a raw code. */
    public static String statusLabel(int status, boolean stale) {
        if (stale) return "stale";
        if (status < 400) return "success";
        return switch (status) {
            case 502 -> "bad_gateway";
            case 503 -> "unavailable";
            case 504 -> "timeout";
            default -> status < 500 ? "client_error" : "error";
        };
    }
}
