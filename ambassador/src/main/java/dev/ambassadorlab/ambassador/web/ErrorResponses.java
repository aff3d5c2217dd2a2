package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.request.RequestContext;
import dev.ambassadorlab.ambassador.resilience.RetryAfter;
import dev.ambassadorlab.ambassador.security.ApiKey;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes every error as JSON: {@code {"error": code, "reason": sentence, "request_id": id}}. Never a stack trace, and
 * never an exception's message: the technical detail goes to the request log (and a bug's stack to the error log),
 * with the API key masked.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private final ApiKey key;

    public ErrorResponses(ApiKey key) {
        this.key = key;
    }

    public void write(AmbassadorException failure, Context ctx) {
        noteFailure(ctx, failure.code(), failure.detail());
        Duration retryAfter = failure.retryAfter();
        if (retryAfter != null) {
            long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            ctx.header(RetryAfter.HEADER, Long.toString(seconds));
        }
        json(ctx, failure.code(), failure.reason());
    }

    /** A bug, not a failure of the upstream: the details go to the log, the caller gets a pointer to them. */
    public void unexpected(Exception bug, Context ctx) {
        String requestId = ctx.attribute(CallerHeaders.REQUEST_ID);
        noteFailure(ctx, ErrorCode.INTERNAL_ERROR, bug.toString());
        LOG.error("Unexpected failure serving {} {} (request id {})", ctx.req().getMethod(), ctx.path(), requestId,
                masked(bug));
        json(ctx, ErrorCode.INTERNAL_ERROR, "the ambassador failed unexpectedly; its log has the details under "
                + "request id " + requestId);
    }

    /** Unknown routes get a JSON 404 that says which routes this port has. */
    public static void notFound(Context ctx, String routes) {
        json(ctx, ErrorCode.NOT_FOUND, "no route for " + ctx.req().getMethod() + " " + ctx.path() + "; " + routes);
    }

    /** Keeps the error for the request's trace, and its detail for the log line, which masks the key in it. */
    private static void noteFailure(Context ctx, ErrorCode code, String detail) {
        RequestContext request = ctx.attribute(RequestLog.CONTEXT_KEY);
        if (request == null) return;
        request.trace().failedWith(code);
        request.noteDetail(detail);
    }

    /**
     * A copy of the failure and its causes for the error log, each message with the key masked and the same stack:
     * a library's message can quote what the upstream sent, and the upstream may echo the key.
     */
    Throwable masked(Throwable failure) {
        Throwable copy = new MaskedFailure(failure.getClass().getName() + ": " + key.masked(failure.getMessage()),
                failure.getCause() == null ? null : masked(failure.getCause()));
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    private static final class MaskedFailure extends RuntimeException {
        MaskedFailure(String message, Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
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
