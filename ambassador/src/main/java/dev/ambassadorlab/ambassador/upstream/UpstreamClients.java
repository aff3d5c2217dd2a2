package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.AmbassadorConfig;
import dev.ambassadorlab.ambassador.security.ApiKeyInjector;
import dev.ambassadorlab.ambassador.web.CallerHeaders;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import java.io.IOException;
import java.util.Set;

/**
 * The one OkHttp client for every upstream. OkHttp's own retry on connection failure is off, redirects are not
 * followed and each attempt is sent once: Failsafe alone decides about retries, and a redirect could lead past the
 * allowlist. The API key is added by {@link ApiKeyInjector}, which looks at each request's URL, and no request reaches
 * the ambassador's own ports ({@link SelfCallGuard}).
 */
public final class UpstreamClients {
    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH");
    private static final Set<String> BODY_FORBIDDEN = Set.of("GET", "HEAD");
    private final OkHttpClient client;

    public UpstreamClients(AmbassadorConfig config, SelfCallGuard selfCallGuard) {
        this.client = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                // A backstop only: Failsafe's attempt timeout and deadline cancel a slow call long before this.
                .readTimeout(config.requestDeadline().plusSeconds(1))
                .writeTimeout(config.requestDeadline().plusSeconds(1))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .addInterceptor(new ApiKeyInjector(config.apiKey(), HttpUrl.get(config.catApiUrl())))
                .addNetworkInterceptor(selfCallGuard)
                .addNetworkInterceptor(new OneSendPerAttempt())
                .build();
    }

    /** Prepares one attempt; nothing is sent until {@link #read} executes it. */
    public Call newCall(UpstreamRequest request, String requestId) {
        RequestBody body = null;
        boolean bodyRequired = BODY_REQUIRED.contains(request.method());
        if (bodyRequired || (request.body() != null && !BODY_FORBIDDEN.contains(request.method()))) {
            MediaType type = request.contentType() == null ? null : MediaType.parse(request.contentType());
            body = RequestBody.create(request.body() == null ? new byte[0] : request.body(), type);
        }
        Request okRequest = new Request.Builder()
                .url(request.url())
                .headers(request.headers())
                .header(CallerHeaders.REQUEST_ID, requestId)
                .method(request.method(), body)
                .tag(OneSendPerAttempt.Sends.class, new OneSendPerAttempt.Sends())
                .build();
        return client.newCall(okRequest);
    }

    /**
     * Executes the call and reads the whole body within the request's size cap. An I/O failure after the headers
     * arrived means the answer was cut short: it is reported as a {@link TruncatedBodyException}.
     */
    public UpstreamResponse read(Call call, UpstreamRequest request) throws IOException {
        long cap = request.maxResponseBytes();
        try (Response response = call.execute()) {
            ResponseBody body = response.body();
            long declared = body.contentLength();
            boolean hasBody = !request.method().equals("HEAD");
            if (hasBody && declared > cap) {
                throw new BodyTooLargeException("the answer declares " + declared + " bytes, over the cap of " + cap);
            }
            Buffer buffer = new Buffer();
            try {
                BufferedSource source = body.source();
                while (hasBody && buffer.size() <= cap && source.read(buffer, 64 * 1024) != -1) {
                    // keep reading until the end of the body or one byte past the cap
                }
            } catch (IOException cut) {
                if (call.isCanceled()) throw cut;
                throw new TruncatedBodyException("the connection ended after " + buffer.size() + " bytes of the answer"
                        + (declared >= 0 ? " (" + declared + " announced)" : ""), cut);
            }
            if (buffer.size() > cap) {
                throw new BodyTooLargeException("the answer is larger than the cap of " + cap + " bytes");
            }
            return new UpstreamResponse(response.code(), response.headers(), buffer.readByteArray());
        }
    }
}
