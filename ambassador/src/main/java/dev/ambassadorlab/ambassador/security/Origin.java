package dev.ambassadorlab.ambassador.security;

import okhttp3.HttpUrl;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a URL may lead: a scheme, a host and a port, as browsers compare origins. The host may be a pattern,
 * "*.example.com", for its subdomains. Written "https://cdn2.thecatapi.com", "http://toxiproxy:8666", or as a bare
 * host ("cdn2.thecatapi.com"), which means https on port 443.
 */
public record Origin(String scheme, String host, int port) {
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
            + "|\\[[0-9a-f:.]+]");

    public Origin {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme must be http or https, not \"" + scheme + "\"");
        }
        if (!HOST.matcher(host).matches()) throw new IllegalArgumentException("\"" + host + "\" is not a host name");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("the port must be 1 to 65535, not " + port);
    }

    /** Reads an allowlist entry; throws with the reason in words when it is not an origin. */
    public static Origin parse(String entry) {
        String text = entry.trim().toLowerCase(Locale.ROOT);
        if (!text.contains("://")) text = "https://" + text;
        String scheme = text.substring(0, text.indexOf("://"));
        String rest = text.substring(text.indexOf("://") + 3);
        if (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
        if (rest.contains("/") || rest.contains("@") || rest.contains("?") || rest.contains("#")) {
            throw new IllegalArgumentException("\"" + entry.trim() + "\" is not an origin: give scheme://host[:port] "
                    + "with no path, user or query");
        }
        int colon = rest.lastIndexOf(':');
        boolean hasPort = colon > rest.lastIndexOf(']');
        String host = hasPort ? rest.substring(0, colon) : rest;
        int port;
        try {
            port = hasPort ? Integer.parseInt(rest.substring(colon + 1)) : defaultPort(scheme);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("\"" + entry.trim() + "\" has a port that is not a number");
        }
        return new Origin(scheme, host, port);
    }

    /** The origin of a URL. */
    public static Origin of(HttpUrl url) {
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return new Origin(url.scheme(), host, url.port());
    }

    /** True when the URL has this scheme and port, and its host is this host or, for a pattern, one of its subdomains. */
    public boolean admits(HttpUrl url) {
        if (!url.scheme().equals(scheme) || url.port() != port) return false;
        String urlHost = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return host.startsWith("*.") ? urlHost.endsWith(host.substring(1)) : urlHost.equals(host);
    }

    /** "host:port": the name of the upstream for its circuit breaker and its metric label. */
    public String label() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("http") ? 80 : 443;
    }
}
