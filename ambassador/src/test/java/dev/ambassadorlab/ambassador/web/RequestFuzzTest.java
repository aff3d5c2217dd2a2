package dev.ambassadorlab.ambassador.web;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.security.ApiKey;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Coverage-guided fuzzing of what crosses the proxy (SECURITY.md: nothing but /v1/... of The Cat API is reachable; a
 * bad header is a 4xx; the key is never relayed back in an answer header).
 */
class RequestFuzzTest {
    private static final String KEY = "live_Fuzz-K3y-abcdefghij0123456789";
    private static final UpstreamPaths PATHS = new UpstreamPaths(HttpUrl.get("https://api.example.com/base/"));
    private static final RelayedHeaders RELAYED = new RelayedHeaders(ApiKey.of(KEY));
    private static final String[] NAMES = {"Content-Type", "ETag", "Cache-Control", "Last-Modified", "Retry-After",
            "Pagination-Count", "Set-Cookie", "x-api-key"};

    @FuzzTest
    void aPathStaysUnderV1TheHeadersAreCheckedAndTheKeyIsNeverRelayed(FuzzedDataProvider data) {
        forward("/v1/" + data.consumeString(80), data.consumeBoolean() ? data.consumeString(40) : null);
        retries(data.consumeString(12), data.consumeInt(0, 10));
        relay(data);
    }

    private static void forward(String rawPath, String query) {
        HttpUrl url;
        try {
            url = PATHS.resolve(rawPath, query);
        } catch (AmbassadorException refused) {
            if (refused.status() != 400) throw new AssertionError("refused with " + refused.status(), refused);
            return;
        }
        if (!url.host().equals("api.example.com") || url.port() != 443 || !url.encodedPath().startsWith("/base/v1/")) {
            throw new AssertionError(rawPath + " forwarded to " + url);
        }
    }

    private static void retries(String value, int max) {
        try {
            int wanted = CallerHeaders.retriesAllowed(value, max);
            if (wanted < 0 || wanted > max) throw new AssertionError(value + " gave " + wanted + " retries of " + max);
        } catch (AmbassadorException refused) {
            if (refused.status() != 400) throw new AssertionError("refused with " + refused.status(), refused);
        }
    }

    private static void relay(FuzzedDataProvider data) {
        Headers.Builder headers = new Headers.Builder();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            String value = data.consumeBoolean() ? KEY.substring(data.consumeInt(0, 20)) : data.consumeString(64);
            headers.addUnsafeNonAscii(data.pickValue(NAMES), value);
        }
        RelayedHeaders.Chosen chosen;
        try {
            chosen = RELAYED.select(headers.build());
        } catch (AmbassadorException refused) {
            if (refused.status() != 502) throw new AssertionError("refused with " + refused.status(), refused);
            return;
        }
        StringBuilder shown = new StringBuilder(chosen.contentType() == null ? "" : chosen.contentType());
        chosen.forEachOther((name, value) -> shown.append(value));
        if (ApiKey.of(KEY).appearsIn(shown.toString()) || !shown.toString().matches("[\\t\\x20-\\x7e]*")) {
            throw new AssertionError("relayed: " + shown);
        }
    }
}
