package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.ErrorCode;
import dev.ambassadorlab.ambassador.resilience.RetryAfter;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes every error as JSON: {@code {"error": code, "reason": sentence, "request_id": id}}. Never a stack trace. */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    public static void write(AmbassadorException failure, Context ctx) {
        Duration retryAfter = failure.retryAfter();
        if (retryAfter != null) {
            long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            ctx.header(RetryAfter.HEADER, Long.toString(seconds));
        }
        json(ctx, failure.code(), failure.reason());
    }

    /** A bug, not a failure of the upstream: the details go to the log, the caller gets a pointer to them. */
    public static void unexpected(Exception bug, Context ctx) {
        String requestId = ctx.attribute(CallerHeaders.REQUEST_ID);
        LOG.error("Unexpected failure serving {} {} (request id {})", ctx.req().getMethod(), ctx.path(), requestId, bug);
        json(ctx, ErrorCode.INTERNAL_ERROR, "the ambassador failed unexpectedly (" + bug.getClass().getSimpleName()
                + "); its log has the details under request id " + requestId);
    }

    /** Unknown routes get a JSON 404 that says which routes this port has. */
    public static void notFound(Context ctx, String routes) {
        json(ctx, ErrorCode.NOT_FOUND, "no route for " + ctx.req().getMethod() + " " + ctx.path() + "; " + routes);
    }

    static void json(Context ctx, ErrorCode error, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("reason", reason);
        String requestId = ctx.attribute(CallerHeaders.REQUEST_ID);
        if (requestId != null) body.put("request_id", requestId);
        ctx.status(error.status()).json(body);
    }
}
