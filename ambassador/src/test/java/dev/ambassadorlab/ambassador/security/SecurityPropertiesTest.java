package dev.ambassadorlab.ambassador.security;

import dev.ambassadorlab.ambassador.support.HostileText;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Properties of the security decisions, each checked on a thousand or more generated hostile inputs. Each names the
 * promise of SECURITY.md it holds.
 */
class SecurityPropertiesTest {
    private static final List<String> URL_PIECES = List.of("http", "https", "HTTP", "file", "ftp", "javascript", ":",
            "://", ":/", ":\\\\", "//", "/", "\\", "@", ":@", "user:pw@", "#", "?", "%2e", "%2f", "%40", ".", "..",
            "cdn2.thecatapi.com", "img.example.org", "example.org", "evil.io", "mock", "169.254.169.254", "[::1]",
            "localhost", ":80", ":443", ":8080", ":8474", ":0", ":99999", ":http", "/a.jpg", " ", "\t", "\u3002",
            "xn--", "\u0441");
    private static final List<Origin> ALLOWED = List.of(Origin.parse("cdn2.thecatapi.com"),
            Origin.parse("*.example.org"), Origin.parse("http://mock:8080"));
    private static final ImageHostAllowlist ALLOWLIST = new ImageHostAllowlist(ALLOWED);

    /** Holds "downloads only from allowed hosts and schemes" and "URLs with user info are refused". */
    @Test
    void anyImageUrlIsRefusedOrIsTheParsedUrlOfAnAllowedOriginWithoutUserInfo() {
        qt().withExamples(5_000).forAll(HostileText.joined(1, 9, URL_PIECES)).checkAssert(text -> {
            Throwable refused = catchThrowable(() -> ALLOWLIST.check(text));
            if (refused != null) {
                assertThat(refused).as("the refusal of %s", text).isInstanceOf(IllegalArgumentException.class);
                return;
            }
            HttpUrl url = ALLOWLIST.check(text);
            assertThat(url).as("what is fetched for %s: OkHttp's own parse of it", text).isEqualTo(HttpUrl.parse(text));
            assertThat(url.username() + url.password()).as("user info in %s", text).isEmpty();
            assertThat(ALLOWED).as("an allowed origin for %s", text).anySatisfy(origin -> {
                assertThat(url.scheme()).isEqualTo(origin.scheme());
                assertThat(url.port()).isEqualTo(origin.port());
                assertThat(origin.host().startsWith("*.") ? url.host().endsWith(origin.host().substring(1))
                        : url.host().equals(origin.host())).isTrue();
            });
        });
    }

    /** Holds "downloads only from allowed hosts and schemes": an entry admits its own origin and nothing wider. */
    @Test
    void anOriginAdmitsOnlyUrlsOfItsSchemeItsPortAndItsHostOrItsSubdomains() {
        qt().withExamples(2_000).forAll(HostileText.joined(1, 5, URL_PIECES), HostileText.joined(1, 9, URL_PIECES))
                .checkAssert((entry, text) -> {
                    Origin origin;
                    try {
                        origin = Origin.parse(entry);
                    } catch (IllegalArgumentException notAnOrigin) {
                        return;
                    }
                    HttpUrl url = HttpUrl.parse(text);
                    if (url == null || !origin.admits(url)) return;
                    assertThat(url.scheme()).as("%s admitted by %s", text, origin).isEqualTo(origin.scheme());
                    assertThat(url.port()).as("%s admitted by %s", text, origin).isEqualTo(origin.port());
                    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
                    assertThat(origin.host().startsWith("*.") ? host.endsWith(origin.host().substring(1))
                            && host.length() > origin.host().length() - 1 : host.equals(origin.host()))
                            .as("the host of %s admitted by %s", text, origin).isTrue();
                });
    }

    /** Holds "the key goes only to URLs under the whole CAT_API_URL (scheme, host, port and path)". */
    @Test
    void theKeyGoesOnlyToTheCatApisOriginUnderWholeSegmentsOfItsPath() {
        HttpUrl catApi = HttpUrl.get("https://api.example.com/cats");
        var injector = new ApiKeyInjector(ApiKey.of("k3y-0123456789"), catApi);
        List<String> pieces = List.of("https://", "http://", "api.example.com", "api.example.com.evil.io", "evil.io",
                ":443", ":8443", "/cats", "/catsup", "/cats/", "/v1", "/..", "/%2e%2e", "/./", "@", "#", "?x=/cats", "/");
        qt().withExamples(3_000).forAll(HostileText.joined(1, 7, pieces)).checkAssert(text -> {
            HttpUrl url = HttpUrl.parse(text);
            if (url == null || !injector.isForCatApi(url)) return;
            assertThat(url.scheme() + "://" + url.host() + ":" + url.port()).as("the origin of %s", text)
                    .isEqualTo("https://api.example.com:443");
            assertThat(url.encodedPath().equals("/cats") || url.encodedPath().startsWith("/cats/"))
                    .as("the path of %s, given the key", text).isTrue();
        });
    }

    /** Holds "image ids are validated before they become file names". */
    @Test
    void anIdIsAcceptedExactlyWhenItIsASafeFileNameInsideTheDirectory() {
        Path dir = Path.of("/images");
        List<String> pieces = List.of("a", "Z", "0", "-", "_", ".", "..", "/", "\\", "\u0000", "\n", " ", "%2e", "~",
                "\u00e9", "\u202e", "CON", ":");
        qt().withExamples(3_000).forAll(HostileText.joined(0, 70, pieces)).checkAssert(text -> {
            boolean safe = text.matches("[A-Za-z0-9_-]{1,64}");
            Throwable refused = catchThrowable(() -> new ImageId(text));
            assertThat(refused == null).as("the id %s accepted", text).isEqualTo(safe);
            if (safe) assertThat(dir.resolve(text + ".jpg").normalize().getParent()).isEqualTo(dir);
        });
    }

    /**
     * Holds "never relayed back in an answer header" and "never in a log": the key is found in any case, and so is
     * any half of it, or any 8 characters of it when half would be shorter.
     */
    @Test
    void aKeyIsFoundInAnyCaseOrHalfAndTheMaskedTextHoldsNoneOfIt() {
        qt().withExamples(2_000).forAll(HostileText.printable(8, 80), HostileText.printable(0, 40),
                        integers().between(0, 2), HostileText.printable(0, 40))
                .checkAssert((secret, before, form, after) -> {
                    ApiKey key = ApiKey.of(secret);
                    String shown = switch (form) {
                        case 0 -> secret.toLowerCase(Locale.ROOT);
                        case 1 -> secret.toUpperCase(Locale.ROOT);
                        default -> secret.substring(secret.length()
                                - Math.min(secret.length(), Math.max(8, (secret.length() + 1) / 2)));
                    };
                    String text = before + shown + after;
                    assertThat(key.appearsIn(text)).as("the key %s in %s", secret, text).isTrue();
                    assertThat(key.appearsIn(key.masked(text))).as("the key %s in %s masked", secret, text).isFalse();
                });
    }

    /** Holds "never in a log": masking text that does not carry the key leaves it as it was. */
    @Test
    void textWithoutTheKeyIsLeftAsItIs() {
        qt().withExamples(2_000).forAll(HostileText.printable(8, 40), strings().allPossible().ofLengthBetween(0, 60))
                .checkAssert((secret, text) -> {
                    ApiKey key = ApiKey.of(secret);
                    if (!key.appearsIn(text)) assertThat(key.masked(text)).isEqualTo(text);
                });
    }

    /** Holds "the key never in an error body": a missing key is never found, nor does it mask anything. */
    @Test
    void noKeyIsFoundNowhere() {
        qt().forAll(pick(List.of("", "x", "live_anything", "[api-key]"))).checkAssert(text -> {
            assertThat(ApiKey.none().appearsIn(text)).isFalse();
            assertThat(ApiKey.none().masked(text)).isEqualTo(text);
        });
    }
}
