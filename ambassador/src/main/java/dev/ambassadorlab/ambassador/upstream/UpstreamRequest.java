package dev.ambassadorlab.ambassador.upstream;

import okhttp3.Headers;
import okhttp3.HttpUrl;

import java.util.Set;

/**
 * One request the ambassador sends upstream, with what the policies need to know about it: whether it is safe to
 * repeat, and how large an answer it may accept.
 *
 * @param body null for requests without a body
 */
public record UpstreamRequest(String method, HttpUrl url, Headers headers, byte[] body, String contentType,
                              long maxResponseBytes) {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    public static UpstreamRequest get(HttpUrl url, long maxResponseBytes) {
        return new UpstreamRequest("GET", url, Headers.of(), null, null, maxResponseBytes);
    }

    /**
     * Safe methods can be sent twice without harm; so can a request whose caller supplied an Idempotency-Key, because
     * the upstream promises to apply it once. Everything else (a POST that creates a favourite) is sent once only.
     */
    public boolean isSafeToRepeat() {
        return SAFE_METHODS.contains(method) || headers.get(IDEMPOTENCY_KEY) != null;
    }

    /** The upstream this request goes to, as "host:port": the key for its circuit breaker and its metric label. */
    public String upstream() {
        return url.host() + ":" + url.port();
    }
}
