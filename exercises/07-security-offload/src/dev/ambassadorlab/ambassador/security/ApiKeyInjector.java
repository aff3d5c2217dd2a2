package dev.ambassadorlab.ambassador.security;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;

/**
 * Adds the {@code x-api-key} header to requests bound for The Cat API. It sits only on that upstream's client, so the
 * key never travels to an image host, and it replaces any key a caller tried to send: the ambassador owns the secret.
 */
public final class ApiKeyInjector implements Interceptor {
    public static final String HEADER = "x-api-key";
    private final ApiKey key;

    public ApiKeyInjector(ApiKey key) {
        this.key = key;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request.Builder request = chain.request().newBuilder();
        // TODO(07): drop any x-api-key the caller sent, and add ours when we have one (key.reveal()).
        return chain.proceed(request.build());
    }
}
