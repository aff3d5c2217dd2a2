package dev.ambassadorlab.ambassador.security;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An allowlist entry is an origin (scheme, host, port) or a clear refusal; an origin admits exactly its URLs. */
class OriginTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "cdn2.thecatapi.com         | https://cdn2.thecatapi.com:443",
            "CDN2.TheCatApi.com/        | https://cdn2.thecatapi.com:443",
            "http://mock:8080           | http://mock:8080",
            "HTTP://Mock:8080/          | http://mock:8080",
            "https://cdn.example:443    | https://cdn.example:443",
            "*.Example.org              | https://*.example.org:443",
            "http://[0:0:0:0:0:0:0:1]:8 | http://[::1]:8",
            "  http://mock:1            | http://mock:1"})
    void anEntryIsReadAsItsOriginInCanonicalForm(String entry, String origin) {
        assertThat(Origin.parse(entry)).hasToString(origin);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ftp://files.example       | the scheme must be http or https, not \"ftp\"",
            "cdn.example:http          | has a port that is not a number",
            "cdn.example:80x/          | has a port that is not a number",
            "http://[::1]:x            | has a port that is not a number",
            "cdn.example:99999/        | is not an origin",
            "cdn.example:99999         | is not an origin",
            "http://[::g]              | is not an origin",
            "exa mple.com              | is not an origin",
            "https://cdn.example/images| is not an origin",
            "https://cdn.example?x     | is not an origin",
            "https://cdn.example#x     | is not an origin",
            "https://user@cdn.example  | is not an origin",
            "https://:pw@cdn.example   | is not an origin"})
    void anythingElseIsRefusedInWords(String entry, String why) {
        assertThatThrownBy(() -> Origin.parse(entry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @Test
    void anOriginIsMadeOfHttpOrHttpsAHostAndAPortFrom1To65535() {
        assertThat(new Origin("http", "mock", 1)).hasToString("http://mock:1");
        assertThat(new Origin("https", "[::1]", 65535).label()).isEqualTo("[::1]:65535");
        assertThatThrownBy(() -> new Origin("ftp", "mock", 21)).hasMessageContaining("http or https");
        assertThatThrownBy(() -> new Origin("HTTP", "mock", 80)).hasMessageContaining("http or https");
        assertThatThrownBy(() -> new Origin("http", "Mock", 80)).hasMessageContaining("is not a host name");
        assertThatThrownBy(() -> new Origin("http", "mock", 0)).hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> new Origin("http", "mock", 65536)).hasMessageContaining("1 to 65535");
    }

    @Test
    void anOriginAdmitsItsSchemeItsPortAndItsHostOrForAPatternItsSubdomains() {
        Origin cdn = Origin.parse("https://cdn.example");
        Origin pattern = Origin.parse("*.example.org");
        Origin ipv6 = Origin.parse("http://[::1]:8080");

        assertThat(cdn.admits(HttpUrl.get("https://cdn.example/a.jpg"))).isTrue();
        assertThat(cdn.admits(HttpUrl.get("http://cdn.example:443/a.jpg"))).as("another scheme").isFalse();
        assertThat(cdn.admits(HttpUrl.get("https://cdn.example:8443/a.jpg"))).as("another port").isFalse();
        assertThat(cdn.admits(HttpUrl.get("https://cdn.example.evil.io/a.jpg"))).isFalse();
        assertThat(pattern.admits(HttpUrl.get("https://a.b.example.org/"))).isTrue();
        assertThat(pattern.admits(HttpUrl.get("https://example.org/"))).as("the pattern's own base").isFalse();
        assertThat(pattern.admits(HttpUrl.get("https://evilexample.org/"))).isFalse();
        assertThat(ipv6.admits(HttpUrl.get("http://[::1]:8080/x"))).isTrue();
        assertThat(ipv6.admits(HttpUrl.get("http://[::2]:8080/x"))).isFalse();
        assertThat(Origin.of(HttpUrl.get("http://[::1]:8080/x"))).isEqualTo(ipv6);
        assertThat(cdn.label()).isEqualTo("cdn.example:443");
    }
}
