package dev.ambassadorlab.ambassador.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambassadorlab.ambassador.Ambassador;
import dev.ambassadorlab.ambassador.AmbassadorApp;
import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import mockwebserver3.MockWebServer;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A real ambassador (its proxy and admin listeners on free ports) in front of a MockWebServer posing as The Cat API.
 * Tests talk to it over HTTP exactly as the app would, and read its /metrics and its request log.
 */
public final class AmbassadorHarness implements AutoCloseable {
    private final Ambassador ambassador;
    private final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
    private final OkHttpClient client = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(30)).retryOnConnectionFailure(false).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    public final AmbassadorConfig config;
    private volatile String lastRequestId;

    private AmbassadorHarness(AmbassadorConfig config) {
        this.config = config;
        this.ambassador = AmbassadorApp.create(config, new PrometheusRegistry(),
                // Buffered, as in production (BatchedStdout): each line must still be there once its answer is.
                new PrintStream(new BufferedOutputStream(accessLog, 32 * 1024), false, StandardCharsets.UTF_8)).start();
    }

    /** Starts an ambassador whose Cat API is {@code catApi}; {@code env} (name, value...) overrides any setting. */
    public static AmbassadorHarness start(MockWebServer catApi, String... env) {
        Map<String, String> variables = new HashMap<>();
        variables.put("CAT_API_URL", catApi.url("/").toString());
        variables.put("AMBASSADOR_PORT", "0");
        variables.put("ADMIN_PORT", "0");
        for (int i = 0; i < env.length; i += 2) variables.put(env[i], env[i + 1]);
        return new AmbassadorHarness(AmbassadorConfig.fromEnv(variables));
    }

    public Answer get(String path, String... headers) {
        return send(new Request.Builder().url(url(path)).headers(Headers.of(headers)).build());
    }

    public Answer post(String path, String json, String... headers) {
        return send(new Request.Builder().url(url(path)).headers(Headers.of(headers))
                .post(RequestBody.create(json, MediaType.get("application/json"))).build());
    }

    /** A URL on the proxy port (the app's side). */
    public String url(String path) {
        return "http://127.0.0.1:" + ambassador.proxyPort() + path;
    }

    /** A URL on the admin port (Prometheus' and the kubelet's side). */
    public String adminUrl(String path) {
        return "http://127.0.0.1:" + ambassador.adminPort() + path;
    }

    public int proxyPort() {
        return ambassador.proxyPort();
    }

    public int adminPort() {
        return ambassador.adminPort();
    }

    public Answer admin(String path) {
        return send(new Request.Builder().url(adminUrl(path)).build());
    }

    public String metrics() {
        return admin("/metrics").body();
    }

    public double metric(String name, String... labelPairs) {
        return PrometheusText.sum(metrics(), name, labelPairs);
    }

    /** The latest request traces from {@code /debug/requests}, newest first. */
    public JsonNode traces(int limit) {
        Answer answer = admin("/debug/requests?limit=" + limit);
        if (answer.status() != 200) throw new AssertionError("GET /debug/requests answered " + answer.summary());
        try {
            return JSON.readTree(answer.body());
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /**
     * The trace of the last request sent to the proxy, once it is there: the ambassador keeps it after the answer has
     * gone out, so it may come a moment after the answer. By then the request is counted and its log line written.
     */
    public JsonNode lastTrace() {
        String id = lastRequestId;
        if (id == null) throw new AssertionError("no request was sent to the proxy yet");
        int limit = Math.min(50, config.traceBufferSize());
        return await("the trace of request " + id + " on /debug/requests").atMost(Duration.ofSeconds(5))
                .until(() -> find(traces(limit), id), trace -> trace != null);
    }

    private static JsonNode find(JsonNode traces, String requestId) {
        for (JsonNode trace : traces) {
            if (requestId.equals(trace.path("request_id").asText())) return trace;
        }
        return null;
    }

    public String accessLog() {
        return accessLog.toString(StandardCharsets.UTF_8);
    }

    public Answer send(Request request) {
        long start = System.nanoTime();
        try (Response response = client.newCall(request).execute()) {
            String body = response.body().string();
            if (request.url().port() == ambassador.proxyPort()) lastRequestId = response.header("X-Request-Id");
            return new Answer(response.code(), body, response.headers(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    @Override
    public void close() {
        ambassador.stop();
    }

    /** The ambassador's answer as the caller saw it, with how long it took. */
    public record Answer(int status, String body, Headers headers, Duration took) {
        public String header(String name) {
            return headers.get(name);
        }

        /** Status, time taken and body, for a failure message. */
        public String summary() {
            return status + " after " + took.toMillis() + " ms: " + body;
        }
    }
}
