package dev.ambassadorlab.ambassador.security;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageHostAllowlistTest {
    private final ImageHostAllowlist allowlist = new ImageHostAllowlist(List.of(
            Origin.parse("cdn2.thecatapi.com"), Origin.parse("*.example.org"), Origin.parse("http://mock:8080")));

    @Test
    void allowsListedOriginsWithTheirSchemeAndPort() {
        assertThat(allowlist.check("https://cdn2.thecatapi.com/images/abc.jpg").host()).isEqualTo("cdn2.thecatapi.com");
        assertThat(allowlist.check("https://CDN2.TheCatApi.com:443/images/abc.jpg")).isNotNull();
        assertThat(allowlist.check("https://img.example.org/a.png").host()).isEqualTo("img.example.org");
        assertThat(allowlist.check("http://mock:8080/images/tabby.jpg").port()).isEqualTo(8080);
    }

    @Test
    void anotherPortOrSchemeOfAnAllowedHostIsRefused() {
        assertThatThrownBy(() -> allowlist.check("http://cdn2.thecatapi.com/images/abc.jpg"))
                .hasMessageContaining("origin http://cdn2.thecatapi.com:80 is not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("https://cdn2.thecatapi.com:8443/a.jpg")).hasMessageContaining("not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("http://mock:8474/proxies")).hasMessageContaining("http://mock:8474");
        assertThatThrownBy(() -> allowlist.check("https://mock:8080/a.jpg")).hasMessageContaining("not in IMAGE_HOSTS");
    }

    @Test
    void refusesOtherSchemes() {
        assertThatThrownBy(() -> allowlist.check("file:///etc/passwd")).hasMessageContaining("scheme \"file:\"");
        assertThatThrownBy(() -> allowlist.check("ftp://cdn2.thecatapi.com/a.jpg")).hasMessageContaining("only http and https");
    }

    @Test
    void refusesHostsThatAreNotListedIncludingLookAlikes() {
        assertThatThrownBy(() -> allowlist.check("http://169.254.169.254/latest/meta-data"))
                .hasMessageContaining("169.254.169.254:80 is not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("https://cdn2.thecatapi.com.evil.io/a.jpg")).hasMessageContaining("not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("https://evilexample.org/a.jpg")).hasMessageContaining("not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("https://example.org/a.jpg")).hasMessageContaining("not in IMAGE_HOSTS");
        assertThatThrownBy(() -> allowlist.check("https://cdn2.thecatapi.com@evil.io/a.jpg")).hasMessageContaining("user info");
    }

    @Test
    void refusesWhatIsNotAUrlOrHasNoUsablePort() {
        assertThatThrownBy(() -> allowlist.check("http://exa mple.com/")).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> allowlist.check(null)).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> allowlist.check("/relative/path.jpg")).hasMessageContaining("scheme");
        assertThatThrownBy(() -> allowlist.check("http://mock:0/a.jpg")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> allowlist.check("http://mock:70000/a.jpg")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subdomainsOfAPatternShareOneAllowedOrigin() {
        HttpUrl a = allowlist.check("https://a.example.org/1.jpg");
        HttpUrl b = allowlist.check("https://b.c.example.org/2.jpg");

        assertThat(allowlist.allowing(a)).isEqualTo(allowlist.allowing(b)).contains(Origin.parse("*.example.org"));
    }
}
