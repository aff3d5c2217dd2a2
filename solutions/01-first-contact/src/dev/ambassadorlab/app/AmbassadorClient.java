package dev.ambassadorlab.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The app's only way out: a plain HTTP call to the ambassador on localhost. No retries, no keys, no breaker: the
 * ambassador owns all of that. What the app must own is its own edge: whatever the ambassador does (crash, hang,
 * answer garbage) the app's caller gets a JSON answer, never a stack trace.
 */
public final class AmbassadorClient implements Closeable {
    /** Headers the app passes to the ambassador: the request id ties both logs together; the rest steer policies. */
    static final List<String> FORWARDED = List.of("X-Request-Id", "Cache-Control", "X-Ambassador-Max-Retries");
    /** Headers from the ambassador's answer the app passes back to its caller. */
    static final List<String> RETURNED = List.of("Retry-After", "X-Ambassador-Stale", "Cache-Control");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CloseableHttpClient http;
    private final URI base;
    /**
     * The Host header, written once: left to HttpClient, it is formatted from the URL for every request, the host name
     * scanned for IPv6 syntax each time.
     */
    private final String host;
    /** The few URLs the app calls, resolved once. */
    private final Map<String, URI> urls = new ConcurrentHashMap<>();
    private final Duration timeout;

    public AmbassadorClient(URI base, Duration timeout) {
        this.base = base;
        this.host = HttpHost.create(base).toHostString();
        this.timeout = timeout;
        // One client, its connections kept open between calls: a blocking call on the caller's own thread is the
        // cheapest way across localhost. Apache HttpClient's classic API: in the app's place it costs less CPU per
        // request than OkHttp, whose pool wakes its clean-up thread for nearly every connection handed back. Timeouts: connecting, and each wait for the
        // ambassador's next bytes (its answers are small, so in practice the whole answer). A connection idle for a
        // second is checked before it is used again, and idle ones are dropped after 20 s, before the ambassador's
        // server would drop them (30 s).
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(64)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(timeout.compareTo(Duration.ofSeconds(2)) < 0
                                ? timeout : Duration.ofSeconds(2)))
                        .setSocketTimeout(Timeout.of(timeout))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setRetryStrategy(new ResendOnBrokenConnection())
                .evictIdleConnections(TimeValue.ofSeconds(20))
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .disableDefaultUserAgent()
                .build();
    }

    /** The ambassador's answer to a GET, or a JSON error (502 or 504) saying why there is none. */
    public Answer get(String path, Map<String, String> headers) {
        var request = new HttpGet(urls.computeIfAbsent(path, base::resolve));
        request.setHeader("Host", host);
        request.setHeader("Accept", "application/json");
        headers.forEach(request::setHeader);
        try {
            return http.execute(request, Answer::relay);
        } catch (ConnectException down) {
            return Answer.error(502, "ambassador_unreachable", "could not connect to the ambassador at " + base
                    + "; is it running? (./lab up starts it, AMBASSADOR_URL says where it is)");
        } catch (InterruptedIOException slow) {
            return Answer.error(504, "ambassador_timeout", "the ambassador at " + base + " did not answer within "
                    + timeout.toMillis() + " ms (AMBASSADOR_TIMEOUT_MS)");
        } catch (IOException broken) {
            return Answer.error(502, "ambassador_failed", "the connection to the ambassador at " + base
                    + " failed: " + broken.getClass().getSimpleName());
        }
    }

    /** Closes the kept connections and the thread that drops idle ones: when the app stops. */
    @Override
    public void close() throws IOException {
        http.close();
    }

    /**
     * Sends a GET once more when its connection broke before an answer came (most often a kept connection that the
     * ambassador had closed: it restarted, or dropped it idle). Never after a timeout or a refused connection, and
     * never because of an answer, whatever its status (HttpClient's default would resend a 503 or a 429): retrying
     * is the ambassador's business, and a second retry loop in front of it would multiply its calls.
     */
    private static final class ResendOnBrokenConnection extends DefaultHttpRequestRetryStrategy {
        ResendOnBrokenConnection() {
            super(1, TimeValue.ZERO_MILLISECONDS, List.of(InterruptedIOException.class, ConnectException.class),
                    List.of());
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
        static Answer relay(ClassicHttpResponse response) throws IOException {
            Header contentType = response.getFirstHeader("Content-Type");
            String type = contentType == null ? "(none)" : contentType.getValue();
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            if (!type.toLowerCase().startsWith("application/json") || !isJson(body)) {
                return error(502, "ambassador_bad_answer", "the ambassador answered " + response.getCode()
                        + " with " + type + " that is not JSON");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : RETURNED) {
                Header value = response.getFirstHeader(name);
                if (value != null) headers.put(name, value.getValue());
            }
            return new Answer(response.getCode(), body, headers);
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
