package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.upstream.ResilientUpstream;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import io.javalin.http.Context;
import okhttp3.Headers;
import okhttp3.HttpUrl;

import java.net.URI;
import java.util.List;

/**
 * Forwards the rest of The Cat API ({@code /v1/...}) so every call the app makes gets the same policies and the same
 * key injection. The upstream's answer is relayed as it is; only a missing answer becomes a JSON error. Headers pass
 * through an allowlist: the caller's cookies or credentials never reach the upstream.
 */
public final class PassthroughRoute {
    private static final List<String> REQUEST_HEADERS = List.of(
            "Accept", "Accept-Language", "Content-Type", "If-None-Match", "If-Modified-Since",
            UpstreamRequest.IDEMPOTENCY_KEY);
    private static final List<String> RESPONSE_HEADERS = List.of(
            "Cache-Control", "ETag", "Last-Modified", "Retry-After",
            "Pagination-Count", "Pagination-Page", "Pagination-Limit");
    private final ResilientUpstream upstream;
    private final HttpUrl catApi;
    private final long maxResponseBytes;

    public PassthroughRoute(ResilientUpstream upstream, URI catApiUrl, long maxResponseBytes) {
        this.upstream = upstream;
        this.catApi = HttpUrl.get(catApiUrl);
        this.maxResponseBytes = maxResponseBytes;
    }

    public void handle(Context ctx, RequestContext caller) {
        UpstreamResponse response = upstream.call(toUpstream(ctx), caller);
        ctx.status(response.status());
        for (String name : RESPONSE_HEADERS) {
            String value = response.header(name);
            if (value != null) ctx.header(name, value);
        }
        if (!response.contentType().isEmpty()) ctx.contentType(response.contentType());
        ctx.result(response.body());
    }

    private UpstreamRequest toUpstream(Context ctx) {
        String basePath = catApi.encodedPath().endsWith("/")
                ? catApi.encodedPath().substring(0, catApi.encodedPath().length() - 1) : catApi.encodedPath();
        HttpUrl url = catApi.newBuilder()
                .encodedPath(basePath + ctx.path())
                .encodedQuery(ctx.queryString())
                .build();
        // HttpUrl resolves "..": what is left must still be under /v1/ of the Cat API.
        if (!url.encodedPath().startsWith(basePath + "/v1/")) {
            throw AmbassadorException.badRequest("bad_path", "the path leaves /v1/ of The Cat API; it is not forwarded");
        }
        Headers.Builder headers = new Headers.Builder();
        for (String name : REQUEST_HEADERS) {
            String value = ctx.header(name);
            if (value != null) headers.add(name, value);
        }
        byte[] body = ctx.bodyAsBytes();
        return new UpstreamRequest(ctx.method().name(), url, headers.build(), body.length == 0 ? null : body,
                ctx.contentType(), maxResponseBytes);
    }
}
