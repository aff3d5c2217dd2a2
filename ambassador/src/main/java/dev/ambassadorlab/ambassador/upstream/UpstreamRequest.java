package dev.ambassadorlab.ambassador.upstream;

import okhttp3.Headers;
import okhttp3.HttpUrl;

import java.util.Set;
import java.util.function.LongFunction;

/**
 * One request the ambassador sends upstream, with what the policies need to know about it: which upstream it is
 * (the key of its circuit breaker and its metric label), whether it is safe to repeat, and how large an answer it may
 * accept.
 *
 * @param call     which of the ambassador's calls this is: answers to callers name it, not the upstream's address
 * @param upstream the allowed origin the URL falls under, as "host:port": a bounded set, fixed by the configuration
 * @param body     null for requests without a body
 * @param download null to read the answer into memory; otherwise where each attempt's successful answer is streamed:
 *                 a fresh sink for an answer of up to the given number of bytes
 */
public record UpstreamRequest(UpstreamCall call, String method, HttpUrl url, String upstream, Headers headers, byte[] body,
                              String contentType, long maxResponseBytes, LongFunction<BodySink> download) {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    public static UpstreamRequest get(UpstreamCall call, HttpUrl url, String upstream, long maxResponseBytes) {
        return new UpstreamRequest(call, "GET", url, upstream, Headers.of(), null, null, maxResponseBytes, null);
    }

    /** A GET whose successful answer is streamed into a fresh sink per attempt rather than held in memory. */
    public static UpstreamRequest download(HttpUrl url, String upstream, long maxResponseBytes,
                                           LongFunction<BodySink> sinks) {
        return new UpstreamRequest(UpstreamCall.IMAGE, "GET", url, upstream, Headers.of(), null, null, maxResponseBytes, sinks);
    }

    /**
     * Safe methods can be sent twice without harm; so can a request whose caller supplied an Idempotency-Key, because
     * the upstream promises to apply it once. Everything else (a POST that creates a favourite) is sent once only.
     */
    public boolean isSafeToRepeat() {
        if (SAFE_METHODS.contains(method)) return true;
        String idempotencyKey = headers.get(IDEMPOTENCY_KEY);
        return idempotencyKey != null && !idempotencyKey.isBlank();
    }
}
