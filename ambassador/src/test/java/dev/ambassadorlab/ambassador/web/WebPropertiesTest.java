package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.security.ApiKey;
import dev.ambassadorlab.ambassador.support.HostileText;
import dev.ambassadorlab.edge.RequestIds;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Properties of what the proxy takes from callers (headers, paths) and relays from the upstream (answer headers), each
 * checked on generated hostile inputs. Each names the promise of SECURITY.md it holds.
 */
class WebPropertiesTest {
    private static final String KEY = "live_Pr0perty-K3y-abcdefghij0123456789";

    /** Holds "a bad header is a 4xx, never a 500 or a half-sent request". */
    @Test
    void aHeaderValueIsForwardedExactlyWhenItIsPrintableAsciiAndOtherwiseIsA400() {
        qt().withExamples(3_000).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(value -> {
            boolean printable = value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c <= 0x7e));
            Throwable refused = catchThrowable(() -> CallerHeaders.forwardable("Accept", value));
            if (printable) {
                assertThat(refused).as("forwarding %s", value).isNull();
            } else {
                assertThat(refused).as("forwarding %s", value).isInstanceOfSatisfying(AmbassadorException.class,
                        failure -> assertThat(failure.status()).isEqualTo(400));
            }
        });
    }

    /** Holds "a bad header is a 4xx": a retry count can only lower the configured one. */
    @Test
    void aRetryHeaderOnlyEverLowersTheRetriesOrIsA400() {
        List<String> pieces = List.of("0", "1", "2", "9", "-", "+", " ", "2147483648", "0x1", "1e3", "\u0663", ".");
        qt().withExamples(3_000).forAll(HostileText.joined(0, 6, pieces), integers().between(0, 10))
                .checkAssert((value, max) -> {
                    int wanted;
                    try {
                        wanted = CallerHeaders.retriesAllowed(value, max);
                    } catch (AmbassadorException refused) {
                        assertThat(refused.status()).isEqualTo(400);
                        return;
                    }
                    assertThat(wanted).as("retries for %s with %d configured", value, max).isBetween(0, max);
                });
    }

    /** Holds "ids are echoed into logs and headers": whatever the caller sends, the id kept is a plain token. */
    @Test
    void theRequestIdKeptIsAlwaysAPlainToken() {
        qt().withExamples(3_000).forAll(strings().allPossible().ofLengthBetween(0, 200)).checkAssert(given ->
                assertThat(RequestIds.keepOrNew(given)).matches("[A-Za-z0-9._:-]{1,128}"));
    }

    /** Holds "nothing but /v1/... of The Cat API is reachable through the proxy". */
    @Test
    void aForwardedPathStaysUnderV1OfTheCatApiOnItsOriginOrIsA400() {
        var paths = new UpstreamPaths(HttpUrl.get("https://api.example.com/base/"));
        List<String> pieces = List.of("/", "//", "v1", "v1/", "..", ".", "%2e", "%2E", "%2f", "%5c", "%252e", "\\",
                ";", "@", "?", "#", "evil.io", "admin", "%00", "%", ":", "~");
        qt().withExamples(5_000).forAll(HostileText.joined(1, 10, pieces), HostileText.joined(0, 4, pieces))
                .checkAssert((tail, query) -> {
                    String rawPath = "/v1/" + tail;
                    HttpUrl url;
                    try {
                        url = paths.resolve(rawPath, query.isEmpty() ? null : query);
                    } catch (AmbassadorException refused) {
                        assertThat(refused.status()).as("refusing %s", rawPath).isEqualTo(400);
                        return;
                    }
                    assertThat(url.scheme() + "://" + url.host() + ":" + url.port()).as("the origin for %s", rawPath)
                            .isEqualTo("https://api.example.com:443");
                    assertThat(url.encodedPath()).as("the path for %s", rawPath).startsWith("/base/v1/");
                });
    }

    /**
     * Holds "never relayed back in an answer header" and "an answer the ambassador cannot relay whole is a 502": the
     * relayed headers are printable, bounded and free of the key, or the answer is refused.
     */
    @Test
    void relayedHeadersAreBoundedPrintableAndFreeOfTheKeyOrTheAnswerIsRefused() {
        var relayed = new RelayedHeaders(ApiKey.of(KEY));
        List<String> names = List.of("Content-Type", "content-type", "ETAG", "Cache-Control", "Last-Modified",
                "Retry-After", "Pagination-Count", "Set-Cookie", "X-Api-Key", "Location");
        List<String> values = List.of("application/json", "max-age=60", "\"etag\"", KEY, KEY.toLowerCase(Locale.ROOT),
                KEY.substring(0, 20), KEY.substring(19), "a".repeat(700), "\u00e9", "\r", "7", "");
        qt().withExamples(3_000).forAll(lists().of(integers().between(0, names.size() - 1)).ofSizeBetween(0, 8),
                        lists().of(HostileText.joined(1, 3, values)).ofSizeBetween(8, 8))
                .checkAssert((picks, texts) -> {
                    Headers.Builder headers = new Headers.Builder();
                    for (int i = 0; i < picks.size(); i++) headers.addUnsafeNonAscii(names.get(picks.get(i)), texts.get(i));
                    RelayedHeaders.Chosen chosen;
                    try {
                        chosen = relayed.select(headers.build());
                    } catch (AmbassadorException refused) {
                        assertThat(refused.status()).isEqualTo(502);
                        return;
                    }
                    StringBuilder all = new StringBuilder();
                    chosen.forEachOther((name, value) -> all.append(value));
                    if (chosen.contentType() != null) all.append(chosen.contentType());
                    String shown = all.toString();
                    assertThat(shown.length()).isLessThanOrEqualTo(RelayedHeaders.MAX_TOTAL_CHARS);
                    assertThat(shown).matches("[\\t\\x20-\\x7e]*");
                    assertThat(ApiKey.of(KEY).appearsIn(shown)).as("the key in what is relayed: %s", shown).isFalse();
                });
    }
}
