package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A caller's /v1/... path goes to the same path under CAT_API_URL, and nowhere else. */
class UpstreamPathsTest {
    private final UpstreamPaths underBase = new UpstreamPaths(HttpUrl.get("https://api.example.com/base/"));

    @Test
    void aPathAndItsQueryGoUnderCatApiUrl() {
        assertThat(underBase.resolve("/v1/breeds", null)).hasToString("https://api.example.com/base/v1/breeds");
        assertThat(underBase.resolve("/v1/breeds", "limit=5&page=0"))
                .hasToString("https://api.example.com/base/v1/breeds?limit=5&page=0");
        assertThat(underBase.resolve("/v1/a/../b", null)).as("'..' inside /v1/").hasToString(
                "https://api.example.com/base/v1/b");
        assertThat(underBase.resolve("/v1/", null)).hasToString("https://api.example.com/base/v1/");
        assertThat(new UpstreamPaths(HttpUrl.get("https://api.example.com/base")).resolve("/v1/x", null))
                .as("CAT_API_URL without its trailing '/'").hasToString("https://api.example.com/base/v1/x");
        assertThat(new UpstreamPaths(HttpUrl.get("http://mock:8080")).resolve("/v1/x", "q")).hasToString(
                "http://mock:8080/v1/x?q");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/../admin", "/v1/..", "/v1/breeds/../../x", "/v1/x/../../../etc", "/v1/breeds;/../../a"})
    void aPathThatLeavesV1IsA400(String rawPath) {
        assertRefused(rawPath, "the path leaves /v1/ of The Cat API");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/a%2fb", "/v1/a%2Fb", "/v1/%2e%2e/x", "/v1/%2E", "/v1/a%5cb", "/v1/a%5Cb", "/v1/a\\b"})
    void anEncodedSeparatorOrABackslashIsA400(String rawPath) {
        assertRefused(rawPath, "encoded '/', '\\' or '.'");
    }

    @Test
    void otherEncodingsPassAsTheyAre() {
        assertThat(underBase.resolve("/v1/a%20b%25", null).encodedPath()).isEqualTo("/base/v1/a%20b%25");
    }

    private void assertRefused(String rawPath, String why) {
        assertThatThrownBy(() -> underBase.resolve(rawPath, null)).isInstanceOfSatisfying(AmbassadorException.class,
                refused -> {
                    assertThat(refused.error()).isEqualTo("bad_path");
                    assertThat(refused.reason()).contains(why);
                });
    }
}
