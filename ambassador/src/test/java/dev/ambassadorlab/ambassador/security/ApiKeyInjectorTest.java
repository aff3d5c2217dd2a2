package dev.ambassadorlab.ambassador.security;

import okhttp3.HttpUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which URLs get the key: CAT_API_URL itself and what lies below it, whole path segments only, and nothing else. */
class ApiKeyInjectorTest {
    private static final ApiKeyInjector UNDER_A_PATH =
            new ApiKeyInjector(ApiKey.of("secret"), HttpUrl.get("https://api.example.com/catapi"));

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com/catapi", "https://api.example.com/catapi/",
            "https://api.example.com/catapi/v1/images/search?limit=1", "https://API.example.com:443/catapi/v1"})
    void catApiUrlAndEverythingBelowItGetTheKey(String url) {
        assertThat(UNDER_A_PATH.isForCatApi(HttpUrl.get(url))).as("%s, under CAT_API_URL https://api.example.com/catapi",
                url).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com/catapix", "https://api.example.com/catap",
            "https://api.example.com/cat", "https://api.example.com/", "https://api.example.com/other/catapi/v1",
            "http://api.example.com/catapi/v1", "https://api.example.com:8443/catapi/v1",
            "https://api.example.com.evil.test/catapi/v1", "https://cdn.example.com/catapi/v1"})
    void anyOtherUrlDoesNot(String url) {
        assertThat(UNDER_A_PATH.isForCatApi(HttpUrl.get(url))).as("%s, not under CAT_API_URL "
                + "https://api.example.com/catapi: another scheme, host, port or path", url).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com", "https://api.example.com/", "https://api.example.com/v1/x"})
    void aCatApiUrlWithoutAPathCoversTheWholeHost(String url) {
        var atTheRoot = new ApiKeyInjector(ApiKey.of("secret"), HttpUrl.get("https://api.example.com"));
        assertThat(atTheRoot.isForCatApi(HttpUrl.get(url))).as("%s, under CAT_API_URL https://api.example.com", url)
                .isTrue();
    }
}
