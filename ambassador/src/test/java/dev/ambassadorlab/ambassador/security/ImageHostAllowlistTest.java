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

    /**
     * check(url) must refuse it with an IllegalArgumentException; the failure names the URL that got through. The
     * refusal's words are the learner's: what is checked is that they name the thing refused, not how they put it.
     */
    private AbstractThrowableAssert<?, ? extends Throwable> refused(String url) {
        return assertThatThrownBy(() -> allowlist.check(url), "check(%s) should refuse it (IMAGE_HOSTS: "
                + "cdn2.thecatapi.com, *.example.org, http://mock:8080)", url == null ? "null" : "\"" + url + "\"")
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Refused for its origin, which the refusal names as Origin.of writes it (the TODO asks for that). */
    private void refusedNamingItsOrigin(String url) {
        String origin = Origin.of(HttpUrl.get(url.trim())).toString();
        refused(url).as("the refusal of %s should name its origin, %s (Origin.of), and the allowed ones", url, origin)
                .hasMessageContaining(origin);
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
        refusedNamingItsOrigin("http://cdn2.thecatapi.com/images/abc.jpg");
        refusedNamingItsOrigin("https://cdn2.thecatapi.com:8443/a.jpg");
        refusedNamingItsOrigin("http://mock:8474/proxies");
        refusedNamingItsOrigin("https://mock:8080/a.jpg");
    }

    /** OkHttp cannot read these as URLs to fetch; the starter's whyUnreadable already names the scheme. */
    @Test
    void refusesOtherSchemes() {
        refused("file:///etc/passwd").hasMessageContaining("file:");
        refused("ftp://cdn2.thecatapi.com/a.jpg").hasMessageContaining("ftp:");
    }

    @Test
    void refusesHostsThatAreNotListedIncludingLookAlikes() {
        refusedNamingItsOrigin("http://169.254.169.254/latest/meta-data");
        refusedNamingItsOrigin("https://cdn2.thecatapi.com.evil.io/a.jpg");
        refusedNamingItsOrigin("https://evilexample.org/a.jpg");
        refusedNamingItsOrigin("https://example.org/a.jpg");
        refused("https://cdn2.thecatapi.com@evil.io/a.jpg");
    }

    /** User info on an allowed origin: only the user-info rule refuses these, whatever the refusal says. */
    @Test
    void refusesUserInfoEvenOnAnAllowedOrigin() {
        refused("https://user@cdn2.thecatapi.com/a.jpg");
        refused("https://user:pw@cdn2.thecatapi.com/a.jpg");
        refused("https://:pw@cdn2.thecatapi.com/a.jpg");
        refused("http://u:@mock:8080/a.jpg");
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
        refusedNamingItsOrigin("https://evil.io#@cdn2.thecatapi.com/a.jpg");
        refusedNamingItsOrigin("https://evil.io?@cdn2.thecatapi.com/a.jpg");
        refused("https://cdn2.thecatapi.com:443@evil.io/a.jpg");
        refusedNamingItsOrigin("https://:@evil.io/a.jpg");
        refusedNamingItsOrigin("https://cdn2%2ethecatapi.com.evil.io/a.jpg");
        refused("https://cdn2.thecatapi.com%2e.evil.io/a.jpg").hasMessageContaining("not a valid URL");
        refusedNamingItsOrigin("https://cdn2\u3002thecatapi\u3002com.evil.io/a.jpg");
        refusedNamingItsOrigin("HTTP://169.254.169.254/");
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
