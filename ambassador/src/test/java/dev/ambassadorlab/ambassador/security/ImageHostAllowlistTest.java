package dev.ambassadorlab.ambassador.security;

import okhttp3.HttpUrl;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageHostAllowlistTest {
    private final ImageHostAllowlist allowlist = new ImageHostAllowlist(List.of(
            Origin.parse("cdn2.thecatapi.com"), Origin.parse("*.example.org"), Origin.parse("http://mock:8080")));

    /** check(url) must throw; the failure names the URL that got through. */
    private AbstractThrowableAssert<?, ? extends Throwable> refused(String url) {
        return assertThatThrownBy(() -> allowlist.check(url), "check(%s) should refuse it (IMAGE_HOSTS: "
                + "cdn2.thecatapi.com, *.example.org, http://mock:8080)", url == null ? "null" : "\"" + url + "\"");
    }

    @Test
    void allowsListedOriginsWithTheirSchemeAndPort() {
        assertThat(allowlist.check("https://cdn2.thecatapi.com/images/abc.jpg").host())
                .as("the host check() allows for https://cdn2.thecatapi.com/images/abc.jpg")
                .isEqualTo("cdn2.thecatapi.com");
        assertThat(allowlist.check("https://CDN2.TheCatApi.com:443/images/abc.jpg"))
                .as("check() for the allowed host in capitals, with its default port written out").isNotNull();
        assertThat(allowlist.check("https://img.example.org/a.png").host())
                .as("the host check() allows for https://img.example.org/a.png, under *.example.org")
                .isEqualTo("img.example.org");
        assertThat(allowlist.check("http://mock:8080/images/tabby.jpg").port())
                .as("the port check() allows for http://mock:8080/images/tabby.jpg").isEqualTo(8080);
    }

    @Test
    void anotherPortOrSchemeOfAnAllowedHostIsRefused() {
        refused("http://cdn2.thecatapi.com/images/abc.jpg")
                .hasMessageContaining("origin http://cdn2.thecatapi.com:80 is not in IMAGE_HOSTS");
        refused("https://cdn2.thecatapi.com:8443/a.jpg").hasMessageContaining("not in IMAGE_HOSTS");
        refused("http://mock:8474/proxies").hasMessageContaining("http://mock:8474");
        refused("https://mock:8080/a.jpg").hasMessageContaining("not in IMAGE_HOSTS");
    }

    @Test
    void refusesOtherSchemes() {
        refused("file:///etc/passwd").hasMessageContaining("scheme \"file:\"");
        refused("ftp://cdn2.thecatapi.com/a.jpg").hasMessageContaining("only http and https");
    }

    @Test
    void refusesHostsThatAreNotListedIncludingLookAlikes() {
        refused("http://169.254.169.254/latest/meta-data")
                .hasMessageContaining("169.254.169.254:80 is not in IMAGE_HOSTS");
        refused("https://cdn2.thecatapi.com.evil.io/a.jpg").hasMessageContaining("not in IMAGE_HOSTS");
        refused("https://evilexample.org/a.jpg").hasMessageContaining("not in IMAGE_HOSTS");
        refused("https://example.org/a.jpg").hasMessageContaining("not in IMAGE_HOSTS");
        refused("https://cdn2.thecatapi.com@evil.io/a.jpg").hasMessageContaining("user info");
    }

    @Test
    void refusesWhatIsNotAUrlOrHasNoUsablePort() {
        refused("http://exa mple.com/").hasMessageContaining("not a valid URL");
        refused(null).hasMessageContaining("not a valid URL");
        refused("/relative/path.jpg").hasMessageContaining("scheme");
        refused("http://mock:0/a.jpg").isInstanceOf(IllegalArgumentException.class);
        refused("http://mock:70000/a.jpg").isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The URL checked is the URL fetched: OkHttp parses it once and the check reads that parse. Each of these texts
     * reads as another host, or without user info, to some other parser.
     */
    @Test
    void whatIsCheckedIsWhatOkHttpWillFetch() {
        assertThat(allowlist.check("https://cdn2.thecatapi.com\\@evil.io/a.jpg").host())
                .as("a backslash, which OkHttp reads as a slash: the host fetched is the allowed one")
                .isEqualTo("cdn2.thecatapi.com");
        assertThat(allowlist.check(" https://cdn2.thecatapi.com/a.jpg ").host()).as("blanks around it, trimmed")
                .isEqualTo("cdn2.thecatapi.com");
        refused("https://evil.io#@cdn2.thecatapi.com/a.jpg").hasMessageContaining("evil.io");
        refused("https://evil.io?@cdn2.thecatapi.com/a.jpg").hasMessageContaining("evil.io");
        refused("https://cdn2.thecatapi.com:443@evil.io/a.jpg").hasMessageContaining("user info");
        refused("https://:@evil.io/a.jpg").hasMessageContaining("evil.io");
        refused("https://cdn2%2ethecatapi.com.evil.io/a.jpg").hasMessageContaining("cdn2.thecatapi.com.evil.io");
        refused("https://cdn2.thecatapi.com%2e.evil.io/a.jpg").hasMessageContaining("not a valid URL");
        refused("https://cdn2\u3002thecatapi\u3002com.evil.io/a.jpg").hasMessageContaining("not in IMAGE_HOSTS");
        refused("HTTP://169.254.169.254/").hasMessageContaining("169.254.169.254:80");
    }

    @Test
    void entriesAndUrlsAreComparedInOneCanonicalForm() {
        var canonical = new ImageHostAllowlist(List.of(Origin.parse("https://B\u00fccher.Example"),
                Origin.parse("http://[0:0:0:0:0:0:0:1]:8080")));

        assertThat(canonical.check("https://xn--bcher-kva.example/a.png").host())
                .as("the punycode of an international entry").isEqualTo("xn--bcher-kva.example");
        assertThat(canonical.check("https://b\u00fccher.example/a.png").host())
                .as("the same name in Unicode").isEqualTo("xn--bcher-kva.example");
        assertThat(canonical.check("http://[::1]:8080/a.png").port()).as("an IPv6 entry, compressed").isEqualTo(8080);
        assertThatThrownBy(() -> canonical.check("http://[::2]:8080/a.png")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subdomainsOfAPatternShareOneAllowedOrigin() {
        HttpUrl a = allowlist.check("https://a.example.org/1.jpg");
        HttpUrl b = allowlist.check("https://b.c.example.org/2.jpg");

        assertThat(allowlist.allowing(a)).as("the origin allowing a.example.org, and b.c.example.org")
                .isEqualTo(allowlist.allowing(b)).contains(Origin.parse("*.example.org"));
    }
}
