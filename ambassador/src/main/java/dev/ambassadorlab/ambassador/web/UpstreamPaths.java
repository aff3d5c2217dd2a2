package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.ErrorCode;
import okhttp3.HttpUrl;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the path and query of a caller's {@code /v1/...} request into the URL under CAT_API_URL it is forwarded to,
 * or refuses it: the URL carries the key, so it must stay under {@code /v1/} of The Cat API. OkHttp builds the URL
 * (resolving ".." as it will when it sends it), and the check reads that built URL, not the caller's text.
 */
final class UpstreamPaths {
    /** Encoded '/', '\' and '.' in a path: an upstream that decodes them could be led out of /v1/. */
    private static final List<String> ENCODED_SEPARATORS = List.of("%2f", "%5c", "%2e");
    private static final int RECENT_URLS = 512;
    private final HttpUrl catApi;
    /** CAT_API_URL's path without its trailing '/'. */
    private final String basePath;
    /**
     * URLs already built, by the caller's path and query: an app calls a handful of paths over and over, and building
     * an HttpUrl (which re-checks and re-encodes every part) was a twentieth of the pass-through's work.
     */
    private final Map<String, HttpUrl> recentUrls = new ConcurrentHashMap<>();

    UpstreamPaths(HttpUrl catApi) {
        this.catApi = catApi;
        String path = catApi.encodedPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * The URL to forward {@code rawPath} (as the request line has it, still encoded) and {@code query} (or null) to.
     *
     * @throws AmbassadorException a 400 {@code bad_path} when the path holds an encoded separator or a backslash, or
     *                             leads out of {@code /v1/}
     */
    HttpUrl resolve(String rawPath, String query) {
        if (rawPath.indexOf('\\') >= 0 || holdsEncodedSeparator(rawPath)) {
            throw new AmbassadorException(ErrorCode.BAD_PATH, "the path holds an encoded '/', '\\' or '.' (or a '\\'); "
                    + "it is not forwarded, since the upstream might decode it into another path");
        }
        String key = query == null ? rawPath : rawPath + "?" + query;
        HttpUrl known = recentUrls.get(key);
        if (known != null) return known;
        HttpUrl url = catApi.newBuilder()
                .encodedPath(basePath + rawPath)
                .encodedQuery(query)
                .build();
        // HttpUrl resolves "..": what is left must still be under /v1/ of the Cat API.
        if (!url.encodedPath().startsWith(basePath + "/v1/")) {
            throw new AmbassadorException(ErrorCode.BAD_PATH, "the path leaves /v1/ of The Cat API; it is not forwarded");
        }
        // Bounded: a caller sending ever new paths empties the map now and then, and pays for building each URL.
        if (recentUrls.size() >= RECENT_URLS) recentUrls.clear();
        recentUrls.put(key, url);
        return url;
    }

    /** Most paths hold no '%' at all: only those are lowered and searched. */
    private static boolean holdsEncodedSeparator(String rawPath) {
        if (rawPath.indexOf('%') < 0) return false;
        String lowerPath = rawPath.toLowerCase(Locale.ROOT);
        for (String separator : ENCODED_SEPARATORS) {
            if (lowerPath.contains(separator)) return true;
        }
        return false;
    }
}
