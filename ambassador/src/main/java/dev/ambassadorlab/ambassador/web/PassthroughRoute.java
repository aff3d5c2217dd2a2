package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.request.RequestContext;
import dev.ambassadorlab.ambassador.resilience.ResilientUpstream;
import dev.ambassadorlab.ambassador.resilience.UpstreamBulkhead;
import dev.ambassadorlab.ambassador.security.ApiKey;
import dev.ambassadorlab.ambassador.security.Origin;
import dev.ambassadorlab.ambassador.upstream.UpstreamCall;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import io.javalin.http.Context;
import okhttp3.Headers;
import okhttp3.HttpUrl;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards the rest of The Cat API ({@code /v1/...}) so every call the app makes gets the same policies and the same
 * key injection. Headers pass through allowlists both ways: the caller's cookies or credentials never reach the
 * upstream, and an answer header that carries the key never reaches the caller. Everything about the caller's request
 * is checked, and its body read, in {@link #prepare} before any upstream work (and any bulkhead permit) starts.
 */
public final class PassthroughRoute {
    private static final int RECENT_URLS = 512;
    private static final List<String> REQUEST_HEADERS = List.of(
            "Accept", "Accept-Language", "Content-Type", "If-None-Match", "If-Modified-Since",
            UpstreamRequest.IDEMPOTENCY_KEY);
    private final ResilientUpstream upstream;
    private final String catApiUpstream;
    private final RelayedHeaders relayedHeaders;
    private final long maxBytes;
    private final UpstreamPaths paths;
    /**
     * URLs already built and checked, by the caller's path and query: an app calls a handful of paths over and over,
     * and building an HttpUrl (which re-checks and re-encodes every part) was a twentieth of the pass-through's work.
     */
    private final Map<String, HttpUrl> recentUrls = new ConcurrentHashMap<>();

    public PassthroughRoute(ResilientUpstream upstream, HttpUrl catApiUrl, ApiKey key, long maxBytes) {
        this.upstream = upstream;
        this.catApiUpstream = Origin.of(catApiUrl).label();
        this.relayedHeaders = new RelayedHeaders(key);
        this.maxBytes = maxBytes;
        this.paths = new UpstreamPaths(catApiUrl);
    }

    /**
     * Checks the caller's request and reads its body, then sends it under the policies, the bulkhead's included; the
     * body's memory is given back as soon as the upstream's answer is in. {@link #relay} writes that answer.
     */
    public UpstreamResponse forward(Context ctx, RequestContext caller, UpstreamBulkhead bulkhead) {
        // Checked, and the body read, before a bulkhead permit is taken: a slow caller holds no permit.
        UpstreamRequest request = prepare(ctx, caller);
        try {
            return bulkhead.run(() -> upstream.call(request, caller));
        } finally {
            caller.releaseBodyBytes(request.body() == null ? 0 : request.body().length);
        }
    }

    /** Checks the caller's request and reads its body (capped, within the deadline); nothing is sent yet. */
    private UpstreamRequest prepare(Context ctx, RequestContext caller) {
        HttpUrl url = upstreamUrl(ctx.req().getRequestURI(), ctx.queryString());
        Headers.Builder headers = new Headers.Builder();
        for (String name : REQUEST_HEADERS) {
            String value = ctx.header(name);
            if (value != null) headers.add(name, CallerHeaders.forwardable(name, value));
        }
        String idempotencyKey = ctx.header(UpstreamRequest.IDEMPOTENCY_KEY);
        if (idempotencyKey != null && idempotencyKey.isBlank()) {
            throw new AmbassadorException(ErrorCode.BAD_HEADER, UpstreamRequest.IDEMPOTENCY_KEY + " is empty: send a "
                    + "unique key to make this request safe to retry, or leave the header out");
        }
        byte[] body = CallerBody.read(ctx, maxBytes, caller);
        // The method of the request line: ctx.method() would honour X-HTTP-Method-Override (refused before this).
        return new UpstreamRequest(UpstreamCall.PASSTHROUGH, ctx.req().getMethod(), url, catApiUpstream, headers.build(),
                body.length == 0 ? null : body, ctx.contentType(), maxBytes, null);
    }

    /**
     * Relays the upstream's answer to the caller: its status, the allowed headers (all checked before any is written,
     * see {@link RelayedHeaders}) and the body.
     */
    public void relay(Context ctx, UpstreamResponse response) throws IOException {
        RelayedHeaders.Chosen headers = relayedHeaders.select(response.headers());
        ctx.status(response.status());
        // The upstream's type, or none: Javalin's default (text/plain) would be a claim the upstream never made.
        ctx.res().setContentType(headers.contentType());
        headers.forEachOther(ctx::header);
        if (hasNoBody(ctx.req().getMethod(), response.status())) {
            relayLengthOfBodiless(ctx, response);
            return;
        }
        DirectBody.send(ctx, response.body());
    }

    /** The checked URL for this path and query, built once for each (see {@link UpstreamPaths}). */
    private HttpUrl upstreamUrl(String rawPath, String query) {
        String pathAndQuery = query == null ? rawPath : rawPath + "?" + query;
        // Bounded: a caller sending ever new paths empties the map now and then, and pays for building each URL.
        if (recentUrls.size() >= RECENT_URLS) recentUrls.clear();
        return recentUrls.computeIfAbsent(pathAndQuery, any -> paths.resolve(rawPath, query));
    }

    /**
     * A HEAD answer and a 304 carry no body (RFC 9110, 6.4.1), whatever their headers say. (A 204 needs nothing: Jetty
     * sends it without a Content-Length of its own accord.)
     */
    private static boolean hasNoBody(String method, int status) {
        return method.equals("HEAD") || status == 304;
    }

    /**
     * The Content-Length of a HEAD answer or a 304 is the length of what a GET would get (RFC 9110, 8.6), not of the
     * nothing that came: it is relayed as the upstream sent it, when it is a length, and never replaced by 0 (a cache
     * that took 0 from a 304 would mark its stored copy as empty).
     */
    private static void relayLengthOfBodiless(Context ctx, UpstreamResponse response) throws IOException {
        String length = response.header("Content-Length");
        if (length != null && length.matches("[0-9]{1,18}")) {
            ctx.res().setHeader("Content-Length", length);
        }
        // Sent now: left to the end of the request, Jetty would add a Content-Length of the 0 bytes written.
        ctx.res().flushBuffer();
    }
}
