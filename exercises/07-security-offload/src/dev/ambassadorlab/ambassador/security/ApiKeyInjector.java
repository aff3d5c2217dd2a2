package dev.ambassadorlab.ambassador.security;

import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;

/**
 * Adds the {@code x-api-key} header to requests bound for The Cat API, and to nothing else: only a URL under the whole
 * of CAT_API_URL (scheme, host, port and path) gets it, so an image host, or another path on the same host, never
 * sees the key. It replaces any key a caller tried to send: the ambassador owns the secret.
 */
public final class ApiKeyInjector implements Interceptor {
    public static final String HEADER = "x-api-key";
    private final ApiKey key;
    private final HttpUrl catApi;
    /** CAT_API_URL's path ending in '/': a URL is for the Cat API when its path continues it, whole segments only. */
    private final String basePath;

    public ApiKeyInjector(ApiKey key, HttpUrl catApi) {
        this.key = key;
        this.catApi = catApi;
        this.basePath = catApi.encodedPath().endsWith("/") ? catApi.encodedPath() : catApi.encodedPath() + "/";
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        // TODO(07): drop any x-api-key the caller sent, and add ours when we have one, only to requests for The Cat API.
        Request.Builder request = chain.request().newBuilder();
        return chain.proceed(request.build());
    }

    /** True when the URL is CAT_API_URL itself or below it: same origin, and its path starts with whole segments of CAT_API_URL's path. */
    public boolean isForCatApi(HttpUrl url) {
        if (!url.scheme().equals(catApi.scheme()) || !url.host().equals(catApi.host()) || url.port() != catApi.port()) {
            return false;
        }
        // Either the path is the base path without its last '/', or it starts with the whole base path.
        String path = url.encodedPath();
        return path.startsWith(basePath) || (path.length() == basePath.length() - 1 && basePath.startsWith(path));
    }
}
