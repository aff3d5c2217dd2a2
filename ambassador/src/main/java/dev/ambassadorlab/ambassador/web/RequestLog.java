package dev.ambassadorlab.ambassador.web;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.request.RequestContext;
import dev.ambassadorlab.ambassador.security.ApiKey;
import dev.ambassadorlab.ambassador.trace.Ending;
import dev.ambassadorlab.ambassador.trace.RequestTrace;
import io.javalin.http.Context;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One JSON line per proxied request on standard output, carrying its request id and how it ended, plus the request
 * counter, the latency histogram, the count of requests in flight, and the request's trace (see {@link RequestEndings}).
 * Probes, scrapes and trace reads are on the admin port, out of all of these. In production the lines go to a
 * {@link BatchedStdout}.
 */
public final class RequestLog {
    public static final String CONTEXT_KEY = "ambassador.request";
    private static final String IN_FLIGHT_KEY = "ambassador.in-flight";
    private static final JsonStringEncoder JSON_STRING = JsonStringEncoder.getInstance();
    private static final DateTimeFormatter TO_THE_SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** A detail longer than this is cut: it only has to say what went wrong. */
    static final int DETAIL_MAX_CHARS = 300;
    private final AmbassadorMetrics metrics;
    private final PrintStream out;
    private final ApiKey key;
    private final RequestEndings endings;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Second currentSecond = new Second(Long.MIN_VALUE, "");

    public RequestLog(AmbassadorMetrics metrics, PrintStream out, ApiKey key, RequestEndings endings) {
        this.metrics = metrics;
        this.out = out;
        this.key = key;
        this.endings = endings;
        metrics.watchRequestsInFlight(inFlight::get);
    }

    /** Called as a proxied request starts, before anything about it is read or checked. */
    public void started(Context ctx) {
        ctx.attribute(IN_FLIGHT_KEY, Boolean.TRUE);
        inFlight.incrementAndGet();
    }

    /** Called by Javalin after every request; acts only on requests that went through the ambassador's policies. */
    public void finished(Context ctx, float millis) {
        int stillInFlight = ctx.attribute(IN_FLIGHT_KEY) != null ? inFlight.decrementAndGet() : inFlight.get();
        RequestContext request = ctx.attribute(CONTEXT_KEY);
        if (request == null) return;
        String status = statusLabel(ctx.statusCode(), request.servedStale());
        metrics.requestFinished(status, request.elapsed().toNanos() / 1e9);
        RequestTrace trace = request.trace();
        Ending ended = trace.finish(ctx.req().getMethod(), ctx.path(), ctx.statusCode(), request.servedStale());

        // Written by hand, one print of one string per request: a map through Jackson cost more than the rest of the
        // line's work. The request id is a plain token (CallerHeaders); the path is escaped like any JSON string.
        StringBuilder line = timestamp(new StringBuilder(256).append("{\"ts\":\""))
                .append("\",\"request_id\":\"").append(request.requestId())
                .append("\",\"method\":\"").append(ctx.req().getMethod())
                .append("\",\"path\":\"").append(JSON_STRING.quoteAsString(ctx.path()))
                .append("\",\"status\":").append(ctx.statusCode())
                .append(",\"outcome\":\"").append(status)
                .append("\",\"ended\":\"").append(ended.label())
                .append("\",\"attempts\":").append(request.attempts())
                .append(",\"retries\":").append(request.retries())
                .append(",\"duration_ms\":").append(Math.round(request.elapsed().toNanos() / 1e6));
        appendDetail(line, request.detail());
        line.append("}\n");
        // As bytes: print() would take the line through PrintStream's writer and a charset encoder, under its lock.
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        // The last request in flight sends out what has gathered (see BatchedStdout); under load, the buffer does.
        if (stillInFlight == 0) out.flush();
        // Last: whoever sees the trace on /debug/requests finds the request counted and its line written. This runs
        // after the answer has reached the caller (a relayed body is written straight out), so a caller that asks for
        // the trace at once may come before it.
        endings.record(trace);
    }

    /**
     * The failure's detail, when there was one: it may quote the upstream, so the key is masked, the text cut to
     * {@value #DETAIL_MAX_CHARS} characters and escaped like any JSON string.
     */
    private void appendDetail(StringBuilder line, String detail) {
        if (detail == null) return;
        String masked = key.masked(detail);
        String shown = masked.length() > DETAIL_MAX_CHARS ? masked.substring(0, DETAIL_MAX_CHARS) + "..." : masked;
        line.append(",\"detail\":\"").append(JSON_STRING.quoteAsString(shown)).append('"');
    }

    /**
     * Appends the time now, as "2026-11-27T21:03:52.123Z". The part up to the second is formatted once a second and
     * reused: Instant.toString() would format the whole time again for every line.
     */
    private StringBuilder timestamp(StringBuilder line) {
        long millis = System.currentTimeMillis();
        long epochSecond = Math.floorDiv(millis, 1000);
        Second second = currentSecond;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond, TO_THE_SECOND.format(Instant.ofEpochSecond(epochSecond)));
            currentSecond = second;
        }
        int ms = (int) Math.floorMod(millis, 1000);
        return line.append(second.text()).append('.')
                .append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10))
                .append('Z');
    }

    private record Second(long epochSecond, String text) {
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
