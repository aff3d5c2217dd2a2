package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.security.ApiKeyInjector;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import java.io.IOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The one OkHttp client for every upstream. OkHttp's own retry on connection failure is off, redirects are not
 * followed and each attempt is sent once: Failsafe alone decides about retries, and a redirect could lead past the
 * allowlist. The API key is added by {@link ApiKeyInjector}, which looks at each request's URL, and no request reaches
 * the ambassador's own ports ({@link SelfCallGuard}).
 */
public final class UpstreamClients {
    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH");
    private static final Set<String> BODY_FORBIDDEN = Set.of("GET", "HEAD");
    /** How much of a download is kept in memory: enough for any image type's magic bytes. */
    private static final int HEAD_BYTES = 16;
    private final OkHttpClient.Builder builder;
    /**
     * Built on a thread of its own once the listeners are up ({@link #setUp()}): building the client sets up TLS (it
     * reads the system's trusted certificates), the largest single part of a start, and on two cores it would slow the
     * listeners' start. The first upstream call waits for it if it comes first.
     */
    private volatile CompletableFuture<OkHttpClient> client;

    public UpstreamClients(AmbassadorConfig config, SelfCallGuard selfCallGuard) {
        this.builder = baseBuilder(config)
                .addInterceptor(new ApiKeyInjector(config.apiKey(), config.catApiUrl()))
                .addNetworkInterceptor(selfCallGuard)
                .addNetworkInterceptor(new OneSendPerAttempt());
    }

    /** Starts building the client on a thread of its own, the first time it is called; later calls get the same. */
    public CompletableFuture<OkHttpClient> setUp() {
        CompletableFuture<OkHttpClient> started = client;
        if (started != null) return started;
        synchronized (this) {
            if (client == null) {
                client = CompletableFuture.supplyAsync(builder::build, task -> {
                    Thread setUp = new Thread(task, "upstream-client-setup");
                    setUp.setDaemon(true);
                    setUp.start();
                });
            }
            return client;
        }
    }

    private OkHttpClient client() {
        try {
            return setUp().join();
        } catch (CompletionException failed) {
            throw new IllegalStateException("the HTTP client for the upstream could not be set up (TLS: the JRE's "
                    + "trusted certificates?): " + failed.getCause(), failed.getCause());
        }
    }

    /** The client's settings without the ambassador's interceptors: the bench's bare proxy uses them too. */
    public static OkHttpClient.Builder baseBuilder(AmbassadorConfig config) {
        return new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                // No read or write timeout: each attempt's call timeout (ResilientUpstream) cancels a slow call, closing
                // its socket, and these would put every socket read through OkHttp's timeout watchdog as well.
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                // Enough idle connections for every concurrent call (with OkHttp's default of 5, calls beyond the fifth
                // open a new connection each time), dropped after 20 s idle: upstreams close idle connections after
                // 60 s or so (nginx, load balancers), and OkHttp does not re-check a pooled connection before a GET,
                // so an older one would fail the first call after a pause, and a burst of them would open the breaker.
                .connectionPool(new ConnectionPool(Math.max(32, 2 * config.bulkheadMaxConcurrent()), 20, TimeUnit.SECONDS))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false);
    }

    /**
     * Prepares one attempt; nothing is sent until {@link #read} executes it.
     *
     * @param attemptHeaders what this attempt adds to the request's headers: its request id, the time it has
     */
    public Call newCall(UpstreamRequest request, Headers attemptHeaders) {
        RequestBody body = null;
        boolean bodyRequired = BODY_REQUIRED.contains(request.method());
        if (bodyRequired || (request.body() != null && !BODY_FORBIDDEN.contains(request.method()))) {
            MediaType type = request.contentType() == null ? null : MediaType.parse(request.contentType());
            body = RequestBody.create(request.body() == null ? new byte[0] : request.body(), type);
        }
        Request.Builder okRequest = new Request.Builder()
                .url(request.url())
                .headers(request.headers())
                .method(request.method(), body)
                .tag(OneSendPerAttempt.Sends.class, new OneSendPerAttempt.Sends());
        for (int i = 0; i < attemptHeaders.size(); i++) okRequest.header(attemptHeaders.name(i), attemptHeaders.value(i));
        return client().newCall(okRequest.build());
    }

    /**
     * Executes the call and reads the whole body within the request's size cap: into memory, or for a download into
     * a fresh sink (an error answer to a download is not read at all). An I/O failure after the headers arrived means
     * the answer was cut short: it is reported as a {@link TruncatedBodyException}.
     *
     * @param memory takes the bytes of an answer read into memory before they are read, from the ambassador's memory
     *               for bodies; it throws when there is no more to lend
     */
    public UpstreamResponse read(Call call, UpstreamRequest request, LongConsumer memory) throws IOException {
        long cap = request.maxResponseBytes();
        try (Response response = execute(call)) {
            if (response.code() < 200 || response.code() > 599) {
                throw new BadAnswerException("the upstream answered status " + response.code()
                        + ", which is not a final HTTP answer (200-599)", null);
            }
            ResponseBody body = response.body();
            long declared = body.contentLength();
            boolean hasBody = !request.method().equals("HEAD");
            if (request.download() != null && !response.isSuccessful()) {
                return new UpstreamResponse(response.code(), response.headers(), new byte[0]);
            }
            if (hasBody && declared > cap) {
                throw new BodyTooLargeException("the answer declares " + declared + " bytes, over the cap of " + cap);
            }
            if (request.download() != null) return download(call, response, cap, declared,
                    request.download().apply(declared >= 0 ? declared : cap));
            Buffer buffer = new Buffer();
            readWithin(call, body.source(), buffer, hasBody ? cap : -1, declared, (filled, bytes) -> memory.accept(bytes));
            return new UpstreamResponse(response.code(), response.headers(), buffer.readByteArray());
        }
    }

    /**
     * Sends the call and reads the answer's head. A status line that does not parse, or OkHttp failing on what the
     * upstream sent (it throws on some headers it reads itself), is a bad answer, not an I/O failure to retry or a bug
     * of the ambassador's: a 502, with OkHttp's message (which quotes the upstream) kept for the log only.
     */
    private static Response execute(Call call) throws IOException {
        try {
            return call.execute();
        } catch (ProtocolException unreadable) {
            throw new BadAnswerException("the upstream's answer could not be read as HTTP: " + unreadable, unreadable);
        } catch (AmbassadorException refused) {
            throw refused;
        } catch (RuntimeException clientFailed) {
            throw new BadAnswerException("the HTTP client failed on the upstream's answer: " + clientFailed,
                    clientFailed);
        }
    }

    private static UpstreamResponse download(Call call, Response response, long cap, long declared, BodySink sink)
            throws IOException {
        boolean kept = false;
        try {
            Buffer head = new Buffer();
            Buffer chunk = new Buffer();
            long size = readWithin(call, response.body().source(), chunk, cap, declared, (arrived, bytes) -> {
                if (head.size() < HEAD_BYTES) arrived.copyTo(head, 0, Math.min(HEAD_BYTES - head.size(), arrived.size()));
                sink.write(arrived);
            });
            sink.finish();
            kept = true;
            return new UpstreamResponse(response.code(), response.headers(), head.readByteArray(), size);
        } finally {
            if (!kept) sink.discard();
        }
    }

    /** What is done with each read: {@code into} holds what has come and is still there, {@code bytes} is new. */
    @FunctionalInterface
    private interface Arrival {
        void accept(Buffer into, long bytes);
    }

    /**
     * Reads the source to its end, 64 KB at a time, handing each read on; refuses more than {@code cap} bytes (no
     * cap when negative: a HEAD answer has no body). Returns how many bytes there were.
     */
    private static long readWithin(Call call, BufferedSource source, Buffer chunk, long cap, long declared,
                                   Arrival onChunk) throws IOException {
        if (cap < 0) return 0;
        long total = 0;
        while (true) {
            long read;
            try {
                read = source.read(chunk, 64 * 1024);
            } catch (IOException cut) {
                if (call.isCanceled()) throw cut;
                throw new TruncatedBodyException("the connection ended after " + total + " bytes of the answer"
                        + (declared >= 0 ? " (" + declared + " announced)" : ""), cut);
            }
            if (read == -1) return total;
            total += read;
            if (total > cap) throw new BodyTooLargeException("the answer is larger than the cap of " + cap + " bytes");
            onChunk.accept(chunk, read);
        }
    }
}
