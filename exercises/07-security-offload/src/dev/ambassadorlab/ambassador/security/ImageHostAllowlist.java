package dev.ambassadorlab.ambassador.security;

import okhttp3.HttpUrl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which image URLs the ambassador may download. Each allowed place is an origin (scheme, host and port:
 * "https://cdn2.thecatapi.com", "http://toxiproxy:8666"; "*.example.com" also allows its subdomains), so an upstream
 * that sends "file:///etc/passwd", an internal address or another port of an allowed host gets a refusal, not a
 * request. URLs with user info are refused too.
 *
 * <p>The URL is parsed once, by OkHttp, the library that will fetch it, and checked in that parsed form. A check made
 * with another parser (java.net.URI) can read the same text as another host or without user info, and pass a URL that
 * OkHttp then sends somewhere else.
 */
public final class ImageHostAllowlist {
    /** A URL's scheme as written, for the refusal's words only: the decision is OkHttp's parse. */
    private static final Pattern SCHEME = Pattern.compile("\\s*([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);
    private final List<Origin> origins;

    public ImageHostAllowlist(List<Origin> origins) {
        this.origins = List.copyOf(origins);
    }

    /** Returns the URL when it may be downloaded; otherwise throws with the reason in words. */
    public HttpUrl check(String url) {
        if (url == null) throw new IllegalArgumentException("image url is not a valid URL");
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) throw new IllegalArgumentException(whyUnreadable(url));
        // TODO(07): refuse with an IllegalArgumentException, its message saying why in your words, a URL that
        //  carries user info ("user@host", ":pw@host": OkHttp has read it for you), and one that no allowed origin
        //  admits. The second's message must name the URL's origin as Origin.of(parsed) writes it
        //  ("http://cdn2.thecatapi.com:80"): the tests look for that. Naming the allowed ones too helps the log's reader.
        return parsed;
    }

    /** Why OkHttp could not read the URL as one to fetch. */
    private static String whyUnreadable(String url) {
        Matcher scheme = SCHEME.matcher(url);
        if (!scheme.matches()) {
            return url.contains(":") ? "image url is not a valid URL"
                    : "image url has no scheme; only http and https downloads are allowed";
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        if (name.equals("http") || name.equals("https")) return "image url is not a valid URL";
        return "image url uses the scheme \"" + name + ":\"; only http and https downloads are allowed";
    }

    /** The allowed origin a URL falls under: its upstream, whose breaker and metrics it shares. */
    public Optional<Origin> allowing(HttpUrl url) {
        return origins.stream().filter(origin -> origin.admits(url)).findFirst();
    }
}
