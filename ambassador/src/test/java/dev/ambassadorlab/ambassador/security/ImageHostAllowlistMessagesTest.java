package dev.ambassadorlab.ambassador.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Why a URL OkHttp cannot read is refused, in words the log can show. */
class ImageHostAllowlistMessagesTest {
    private final ImageHostAllowlist allowlist = new ImageHostAllowlist(List.of(Origin.parse("cdn2.thecatapi.com")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "file:///etc/passwd    | uses the scheme \"file:\"",
            "JavaScript:alert(1)   | uses the scheme \"javascript:\"",
            " a:b                  | uses the scheme \"a:\"",
            "/relative/path.jpg    | has no scheme",
            "HTTPS://[bad          | is not a valid URL",
            "http://exa mple.com/  | is not a valid URL",
            "1http://x             | is not a valid URL",
            "https://:@evil.io/    | is not in IMAGE_HOSTS",
            "https://u:@cdn2.thecatapi.com/ | carries user info",
            "https://:p@cdn2.thecatapi.com/ | carries user info"})
    void aRefusalSaysWhy(String url, String why) {
        assertThatThrownBy(() -> allowlist.check(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }
}
