package dev.ambassadorlab.ambassador.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageHostAllowlistTest {
    private final ImageHostAllowlist allowlist = new ImageHostAllowlist(List.of("cdn2.thecatapi.com", "*.example.org"));

    @Test
    void allowsListedHostsOverHttpAndHttps() {
        assertThat(allowlist.check("https://cdn2.thecatapi.com/images/abc.jpg")).hasHost("cdn2.thecatapi.com");
        assertThat(allowlist.check("http://CDN2.TheCatApi.com/images/abc.jpg")).isNotNull();
        assertThat(allowlist.check("https://img.example.org/a.png")).hasHost("img.example.org");
    }

    @Test
    void refusesOtherSchemes() {
        assertThatThrownBy(() -> allowlist.check("file:///etc/passwd")).hasMessageContaining("scheme \"file:\"");
        assertThatThrownBy(() -> allowlist.check("ftp://cdn2.thecatapi.com/a.jpg")).hasMessageContaining("only http and https");
    }

    @Test
    void refusesHostsThatAreNotListedIncludingLookAlikes() {
        assertThatThrownBy(() -> allowlist.check("http://169.254.169.254/latest/meta-data"))
                .hasMessageContaining("\"169.254.169.254\" is not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("https://cdn2.thecatapi.com.evil.io/a.jpg")).hasMessageContaining("not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("https://evilexample.org/a.jpg")).hasMessageContaining("not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("https://cdn2.thecatapi.com@evil.io/a.jpg")).hasMessageContaining("user info");
    }

    @Test
    void refusesWhatIsNotAUrl() {
        assertThatThrownBy(() -> allowlist.check("http://exa mple.com/")).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> allowlist.check(null)).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> allowlist.check("/relative/path.jpg")).hasMessageContaining("scheme");
    }
}
