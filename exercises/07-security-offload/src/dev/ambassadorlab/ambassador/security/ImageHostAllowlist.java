package dev.ambassadorlab.ambassador.security;

import okhttp3.HttpUrl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Decides which image URLs the ambassador may download. Each allowed place is an origin (scheme, host and port:
 * "https://cdn2.thecatapi.com", "http://toxiproxy:8666"; "*.example.com" also allows its subdomains), so an upstream
 * that sends "file:///etc/passwd", an internal address or another port of an allowed host gets a refusal, not a
 * request. URLs with user info are refused too.
 */
public final class ImageHostAllowlist {
    private final List<Origin> origins;

    public ImageHostAllowlist(List<Origin> origins) {
        this.origins = List.copyOf(origins);
    }

    /** Returns the URL when it may be downloaded; otherwise throws with the reason in words. */
    public HttpUrl check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException malformed) {
            throw new IllegalArgumentException("image url is not a valid URL");
        }
        // TODO(07): refuse (IllegalArgumentException, with the reason in words) a URL whose scheme is not http or
        //  https, and one that carries user info ("user@host").
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new IllegalArgumentException("image url has no usable host and port");
        }
        // TODO(07): ...and refuse one that no allowed origin admits, naming its origin and the allowed ones.
        return parsed;
    }

    /** The allowed origin a URL falls under: its upstream, whose breaker and metrics it shares. */
    public Optional<Origin> allowing(HttpUrl url) {
        return origins.stream().filter(origin -> origin.admits(url)).findFirst();
    }

    public List<Origin> origins() {
        return origins;
    }
}
