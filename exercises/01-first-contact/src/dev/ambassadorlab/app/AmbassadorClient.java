package dev.ambassadorlab.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The app's only way out: a plain HTTP call to the ambassador on localhost. No keys, no breaker, no retry of an
 * answer: the ambassador owns all of that. What the app must own is its own edge: whatever the ambassador does (crash,
 * hang, answer garbage) the app's caller gets a JSON answer, never a stack trace.
 */
public final class AmbassadorClient implements Closeable {
    /** Headers the app passes to the ambassador: the request id ties both logs together; the rest steer policies. */
    static final List<String> FORWARDED = List.of("X-Request-Id", "Cache-Control", "X-Ambassador-Max-Retries");
    /** Headers from the ambassador's answer the app passes back to its caller. */
    static final List<String> RETURNED = List.of("Retry-After", "X-Ambassador-Stale", "Cache-Control");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OkHttpClient http;
    private final URI base;
    private final HttpUrl baseUrl;
    /** The few URLs the app calls, resolved once. */
    private final Map<String, HttpUrl> urls = new ConcurrentHashMap<>();
    private final Duration timeout;

    public AmbassadorClient(URI base, Duration timeout) {
        this.base = base;
        this.baseUrl = HttpUrl.get(base.toString());
        this.timeout = timeout;
        // One client, its connections kept open between calls: a blocking call on the caller's own thread is the
        // simplest way across localhost. Timeouts: connecting, and each wait for the ambassador's next bytes (its
        // answers are small, so in practice the whole answer). Idle connections are dropped after 20 s, before the
        // ambassador's server would drop them (30 s). OkHttp sends a call once more on a fresh connection when a kept
        // one turns out closed (the ambassador restarted); never after a timeout or a refused connection.
        this.http = new OkHttpClient.Builder()
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2))
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .connectionPool(new ConnectionPool(64, 20, TimeUnit.SECONDS))
                .followRedirects(false)
                .followSslRedirects(false)
                .addNetworkInterceptor(new AnswersAreFinal())
                .build();
    }

    /** The ambassador's answer to a GET, or a JSON error (502 or 504) saying why there is none. */
    public Answer get(String path, Map<String, String> headers) {
        var request = new Request.Builder()
                .url(urls.computeIfAbsent(path, this::resolve))
                .header("Accept", "application/json");
        headers.forEach(request::header);
        try (Response response = http.newCall(request.build()).execute()) {
            return Answer.relay(response);
        } catch (IOException failure) {
            // TODO(01): this ends as a 500 "internal_error" from the app. Answer a JSON error instead: 502
            //  "ambassador_unreachable" when nothing listens at the ambassador's address, 504 "ambassador_timeout"
            //  when it did not answer within `timeout`, 502 "ambassador_failed" when the call broke any other way.
            //  Say in the reason, in your words, what to check: the ambassador's address (base), and for the timeout
            //  AMBASSADOR_TIMEOUT_MS with its value.
            throw new IllegalStateException("calling the ambassador failed", failure);
        }
    }

    private HttpUrl resolve(String path) {
        HttpUrl url = baseUrl.resolve(path);
        if (url == null) throw new IllegalArgumentException("not a path under " + base + ": " + path);
        return url;
    }

    /** Closes the kept connections: when the app stops. */
    @Override
    public void close() {
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
    }

    /**
     * Keeps every answer final. OkHttp sends a request again by itself when a 503 says "Retry-After: 0": retrying is
     * the ambassador's business, and a second retry loop in front of it would multiply its calls. Such a header is
     * taken off before OkHttp sees it ("retry now" tells the app's caller nothing).
     */
    private static final class AnswersAreFinal implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Response response = chain.proceed(chain.request());
            String wait = response.header("Retry-After");
            if (response.code() == 503 && wait != null && wait.strip().matches("0+")) {
                return response.newBuilder().removeHeader("Retry-After").build();
            }
            return response;
        }
    }

    /**
     * What the app answers its caller: a status, a JSON body and the headers worth passing on. The body stays in the
     * bytes it came in: decoding it to a String and encoding it back would be work for nothing.
     */
    public record Answer(int status, byte[] json, Map<String, String> headers) {

        static Answer error(int status, String error, String reason) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", error);
            body.put("reason", reason);
            try {
                return new Answer(status, JSON.writeValueAsBytes(body), Map.of());
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        /** Passes the ambassador's JSON through as it is; anything that is not JSON becomes a 502. */
        static Answer relay(Response response) throws IOException {
            String type = response.header("Content-Type", "(none)");
            ResponseBody content = response.body();
            byte[] body = content == null ? new byte[0] : content.bytes();
            // TODO(01): an answer that is not JSON (by its Content-Type, or by its body) must not be passed on as if
            //  it were: answer 502 "ambassador_bad_answer" instead, naming the status and the type that came back.
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : RETURNED) {
                String value = response.header(name);
                if (value != null) headers.put(name, value);
            }
            return new Answer(response.code(), body, headers);
        }

        /** True for one well-formed JSON value, checked token by token without building it. */
        private static boolean isJson(byte[] body) {
            try (JsonParser parser = JSON.getFactory().createParser(body)) {
                if (parser.nextToken() == null) return false;
                parser.skipChildren();
                return parser.nextToken() == null;
            } catch (IOException notJson) {
                return false;
            }
        }
    }
}
