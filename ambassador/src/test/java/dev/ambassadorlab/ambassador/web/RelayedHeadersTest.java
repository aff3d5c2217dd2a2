package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.security.ApiKey;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which answer headers are relayed, and the limits each must keep for the answer to be relayed at all. */
class RelayedHeadersTest {
    private static final String KEY = "live_Relay-Key-0123456789-abcdefghijklm"; // 39 characters: pieces of 20
    private final RelayedHeaders relayed = new RelayedHeaders(ApiKey.of(KEY));

    @Test
    void onlyTheListedHeadersAreRelayedUnderTheirOwnNamesTheLastOfEach() {
        var chosen = relayed.select(new Headers.Builder().add("content-type", "application/json").add("etag", "\"1\"")
                .add("ETag", "\"2\"").add("Set-Cookie", "s=" + "x".repeat(5_000)).add("Date", "today")
                .add("pagination-count", "7").build());

        assertThat(chosen.contentType()).isEqualTo("application/json");
        assertThat(others(chosen)).containsExactly(Map.entry("ETag", "\"2\""), Map.entry("Pagination-Count", "7"));
    }

    @Test
    void withoutAContentTypeOrWithAnEmptyOneThereIsNone() {
        assertThat(relayed.select(Headers.of()).contentType()).isNull();
        assertThat(relayed.select(Headers.of("Content-Type", "")).contentType()).isNull();
        assertThat(others(relayed.select(Headers.of()))).isEmpty();
    }

    @Test
    void eachValueMayHoldUpTo1024CharactersAndAllOfThemUpTo4096() {
        String most = "e".repeat(RelayedHeaders.MAX_VALUE_CHARS);
        assertThat(others(relayed.select(Headers.of("ETag", most)))).containsEntry("ETag", most);
        assertRefused(Headers.of("ETag", most + "e"), "larger than 1024 characters each or 4096 together");

        Headers full = Headers.of("ETag", most, "Cache-Control", most, "Last-Modified", most, "Content-Type", most);
        assertThat(relayed.select(full).contentType()).hasSize(RelayedHeaders.MAX_VALUE_CHARS);
        assertRefused(full.newBuilder().add("Retry-After", "1").build(), "its Retry-After header makes");
    }

    @Test
    void valuesArePrintableAsciiWithSpacesAndTabs() {
        // OkHttp trims a value's ends: the tab is inside.
        assertThat(others(relayed.select(Headers.of("Cache-Control", "a\tb ~!")))).containsEntry("Cache-Control", "a\tb ~!");
        for (char outside : new char[]{0x1f, 0x7f, 0xe9}) {
            assertRefused(new Headers.Builder().addUnsafeNonAscii("ETag", "a" + outside + "b").build(),
                    "its ETag header holds a character outside printable ASCII");
        }
    }

    @Test
    void theKeyInAnyHeaderInAnyCaseOrSpreadOverSeveralIsRefused() {
        assertRefused(Headers.of("Content-Type", "text/plain; k=" + KEY.toUpperCase()), "its Content-Type header carries the API key");
        assertRefused(Headers.of("ETag", KEY.substring(0, 20)), "its ETag header carries the API key");
        // Three thirds: none holds half of the key, together they hold all of it.
        assertRefused(Headers.of("Content-Type", KEY.substring(0, 13), "Cache-Control", KEY.substring(13, 26),
                "ETag", KEY.substring(26)), "its headers together carry the API key");
        assertThat(new RelayedHeaders(ApiKey.none()).select(Headers.of("ETag", KEY)).namesAndValues())
                .as("no key: nothing to find").contains(KEY);
    }

    private void assertRefused(Headers headers, String why) {
        assertThatThrownBy(() -> relayed.select(headers)).isInstanceOfSatisfying(AmbassadorException.class, refused -> {
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.error()).isEqualTo("bad_upstream_answer");
            assertThat(refused.reason()).contains(why);
            assertThat(refused.detail()).isEqualTo(refused.reason().substring(refused.reason().indexOf(": ") + 2));
        });
    }

    private static Map<String, String> others(RelayedHeaders.Chosen chosen) {
        Map<String, String> others = new LinkedHashMap<>();
        chosen.forEachOther(others::put);
        return others;
    }
}
