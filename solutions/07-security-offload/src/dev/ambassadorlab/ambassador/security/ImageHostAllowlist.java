package dev.ambassadorlab.ambassador.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Decides which image URLs the ambassador may download. Only http and https, only listed hosts ("*.example.com"
 * also allows its subdomains), no user info: an upstream that sends "file:///etc/passwd" or an internal address gets a
 * refusal, not a request.
 */
public final class ImageHostAllowlist {
    private final List<String> hosts;

    public ImageHostAllowlist(List<String> hosts) {
        this.hosts = hosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).toList();
    }

    /** Returns the URL when it may be downloaded; otherwise throws with the reason in words. */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException malformed) {
            throw new IllegalArgumentException("image url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("image url uses the scheme \"" + scheme
                    + ":\"; only http and https downloads are allowed");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("image url carries user info; it is refused");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!isAllowed(host)) {
            throw new IllegalArgumentException("image host \"" + host + "\" is not in IMAGE_HOSTS " + hosts);
        }
        return uri;
    }

    private boolean isAllowed(String host) {
        if (host.isEmpty()) return false;
        for (String allowed : hosts) {
            if (allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed)) return true;
        }
        return false;
    }

    public List<String> hosts() {
        return hosts;
    }
}
