package dev.ambassadorlab.app;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The app's only way out: a plain HTTP call to the ambassador on localhost. No retries, no keys, no breaker: the
 * ambassador owns all of that. What the app must own is its own edge: whatever the ambassador does (crash, hang,
 * answer garbage) the app's caller gets a JSON answer, never a stack trace.
 */
public final class AmbassadorClient {
    /** Headers the app passes to the ambassador: the request id ties both logs together; the rest steer policies. */
    static final List<String> FORWARDED = List.of("X-Request-Id", "Cache-Control", "X-Ambassador-Max-Retries");
    /** Headers from the ambassador's answer the app passes back to its caller. */
    static final List<String> RETURNED = List.of("Retry-After", "X-Ambassador-Stale", "Cache-Control");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI base;
    private final Duration timeout;

    public AmbassadorClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2))
                .build();
    }

    /** The ambassador's answer to a GET, or a JSON error (502 or 504) saying why there is none. */
    public Answer get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET()
                .header("Accept", "application/json");
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException failure) {
            // TODO(01): this ends as a 500 "internal_error" from the app. Answer with Answer.error(...) instead:
            //  502 "ambassador_unreachable" when the ambassador cannot be reached (ConnectException,
            //  HttpConnectTimeoutException), 504 "ambassador_timeout" when it is too slow (HttpTimeoutException),
            //  502 "ambassador_failed" for any other IOException. Say in the reason what to check.
            throw new IllegalStateException("calling the ambassador failed", failure);
        }
        return Answer.relay(response);
    }

    /** What the app answers its caller: a status, a JSON body and the headers worth passing on. */
    public record Answer(int status, String json, Map<String, String> headers) {

        static Answer error(int status, String error, String reason) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", error);
            body.put("reason", reason);
            try {
                return new Answer(status, JSON.writeValueAsString(body), Map.of());
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        /** Passes the ambassador's JSON through as it is; anything that is not JSON becomes a 502. */
        static Answer relay(HttpResponse<String> response) {
            String type = response.headers().firstValue("Content-Type").orElse("(none)");
            // TODO(01): an answer that is not JSON (its Content-Type, or isJson(body)) must not be passed on as if it
            //  were: answer 502 "ambassador_bad_answer" instead, naming the status and the type that came back.
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : RETURNED) response.headers().firstValue(name).ifPresent(value -> headers.put(name, value));
            return new Answer(response.statusCode(), response.body(), headers);
        }

        private static boolean isJson(String body) {
            try {
                return body != null && !body.isBlank() && JSON.readTree(body) != null;
            } catch (IOException notJson) {
                return false;
            }
        }
    }
}
