package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import okhttp3.HttpUrl;

import java.util.regex.Pattern;

/**
 * Turns the path and query of a caller's {@code /v1/...} request into the URL under CAT_API_URL it is forwarded to,
 * or refuses it: the URL carries the key, so it must stay under {@code /v1/} of The Cat API. OkHttp builds the URL
 * (resolving ".." as it will when it sends it), and the check reads that built URL, not the caller's text.
 */
final class UpstreamPaths {
    /** Encoded '/', '\' and '.' in a path: an upstream that decodes them could be led out of /v1/. */
    private static final Pattern ENCODED_SEPARATOR = Pattern.compile("%(2f|5c|2e)", Pattern.CASE_INSENSITIVE);
    private final HttpUrl catApi;
    /** CAT_API_URL's path without its trailing '/'. */
    private final String basePath;

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
        if (rawPath.contains("\\") || ENCODED_SEPARATOR.matcher(rawPath).find()) {
            throw new AmbassadorException(ErrorCode.BAD_PATH, "the path holds an encoded '/', '\\' or '.' (or a '\\'); "
                    + "it is not forwarded, since the upstream might decode it into another path");
        }
        HttpUrl url = catApi.newBuilder()
                .encodedPath(basePath + rawPath)
                .encodedQuery(query)
                .build();
        // HttpUrl resolves "..": what is left must still be under /v1/ of the Cat API.
        if (!url.encodedPath().startsWith(basePath + "/v1/")) {
            throw new AmbassadorException(ErrorCode.BAD_PATH, "the path leaves /v1/ of The Cat API; it is not forwarded");
        }
        return url;
    }
}
