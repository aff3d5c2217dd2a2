package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.request.BodyMemory;
import dev.ambassadorlab.ambassador.request.RequestContext;
import dev.ambassadorlab.ambassador.resilience.Deadlines;
import io.javalin.http.Context;

import java.time.Duration;

/** Where a caller's request becomes a {@link RequestContext}: its headers read and checked once, at the edge. */
public final class RequestStart {
    private RequestStart() {
    }

    /**
     * Starts the context for a proxied request and attaches it to Javalin's context, so the request log finds it even
     * when the caller's headers are refused (that request is still counted, as a client error). Its deadline is the
     * configured one, or the caller's ({@link Deadlines#HEADER}) when that is shorter.
     */
    public static RequestContext begin(Context ctx, Duration deadline, int maxRetries, BodyMemory memory,
                                       boolean traced) {
        String requestId = ctx.attribute(CallerHeaders.REQUEST_ID);
        try {
            CallerHeaders.refuseMethodOverride(ctx);
            var request = new RequestContext(requestId, Deadlines.forRequest(ctx.header(Deadlines.HEADER), deadline),
                    CallerHeaders.retriesAllowed(ctx, maxRetries),
                    CallerHeaders.acceptsStale(ctx), memory, traced);
            ctx.attribute(RequestLog.CONTEXT_KEY, request);
            return request;
        } catch (AmbassadorException refused) {
            ctx.attribute(RequestLog.CONTEXT_KEY, new RequestContext(requestId, deadline, 0, false, memory, traced));
            throw refused;
        }
    }

}
