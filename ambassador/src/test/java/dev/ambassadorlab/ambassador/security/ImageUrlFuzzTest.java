package dev.ambassadorlab.ambassador.security;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import okhttp3.HttpUrl;

import java.util.List;

/**
 * Coverage-guided fuzzing of the image URL check and the allowlist entries (SECURITY.md: downloads only from allowed
 * hosts and schemes, never with user info; what is checked is what OkHttp fetches).
 */
class ImageUrlFuzzTest {
    private static final ImageHostAllowlist ALLOWLIST = new ImageHostAllowlist(List.of(
            Origin.parse("cdn2.thecatapi.com"), Origin.parse("*.example.org"), Origin.parse("http://mock:8080")));

    @FuzzTest
    void anImageUrlIsRefusedOrIsOkHttpsParseOfAnAllowedOriginWithoutUserInfo(FuzzedDataProvider data) {
        String entry = data.consumeString(60);
        String text = data.consumeRemainingAsString();
        checkEntry(entry);
        HttpUrl url;
        try {
            url = ALLOWLIST.check(text);
        } catch (IllegalArgumentException refused) {
            return;
        }
        if (!url.equals(HttpUrl.parse(text))) throw new AssertionError("checked " + url + ", fetched " + HttpUrl.parse(text));
        if (!url.username().isEmpty() || !url.password().isEmpty()) throw new AssertionError("user info in " + url);
        if (ALLOWLIST.allowing(url).isEmpty()) throw new AssertionError("no allowed origin for " + url);
    }

    /** An entry is refused, or read as an origin that reads back the same. */
    private static void checkEntry(String entry) {
        Origin origin;
        try {
            origin = Origin.parse(entry);
        } catch (IllegalArgumentException notAnOrigin) {
            return;
        }
        if (!Origin.parse(origin.toString()).equals(origin)) throw new AssertionError("not stable: " + origin);
    }
}
