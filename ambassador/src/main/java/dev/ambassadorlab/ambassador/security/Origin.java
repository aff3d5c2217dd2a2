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

    /**
     * Reads an allowlist entry; throws with the reason in words when it is not an origin. The entry is parsed by
     * OkHttp, as the URLs it is compared with are, so both hosts are in the same canonical form (lower case,
     * international names as punycode, IPv6 compressed): a text comparison of two different parsers' readings could
     * let a URL through that the entry did not mean.
     */
    public static Origin parse(String entry) {
        String text = entry.trim();
        if (!text.contains("://")) text = "https://" + text;
        int hostStart = text.indexOf("://") + 3;
        String scheme = text.substring(0, hostStart - 3).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the scheme must be http or https, not \"" + scheme + "\"");
        }
        boolean pattern = text.startsWith("*.", hostStart);
        HttpUrl url = HttpUrl.parse(pattern ? text.substring(0, hostStart) + text.substring(hostStart + 2) : text);
        if (url == null && hasPortThatIsNotANumber(text.substring(hostStart))) {
            throw new IllegalArgumentException("\"" + entry.trim() + "\" has a port that is not a number");
        }
        if (url == null || !url.encodedPath().equals("/") || url.query() != null || url.fragment() != null
                || !url.username().isEmpty() || !url.password().isEmpty()) {
            throw new IllegalArgumentException("\"" + entry.trim() + "\" is not an origin: give scheme://host[:port] "
                    + "with no path, user or query");
        }
        Origin origin = of(url);
        return pattern ? new Origin(origin.scheme, "*." + origin.host, origin.port) : origin;
    }

    /** For the refusal's words: "host:http" rather than "host:8080" (a colon inside an IPv6 literal's brackets aside). */
    private static boolean hasPortThatIsNotANumber(String authority) {
        String hostAndPort = authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority;
        int colon = hostAndPort.lastIndexOf(':');
        return colon > hostAndPort.lastIndexOf(']') && !hostAndPort.substring(colon + 1).matches("[0-9]+");
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

}
