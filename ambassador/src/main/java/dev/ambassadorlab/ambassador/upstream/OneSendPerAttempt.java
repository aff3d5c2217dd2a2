package dev.ambassadorlab.ambassador.upstream;

import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes each attempt one request on the wire, so that the retry policy, the retry budget, the metrics and the access
 * log count everything the upstream receives. OkHttp resends on its own in a few cases even with its retries off: a
 * 503 with "Retry-After: 0" is sent again at once (a POST too). That header is taken off here, before OkHttp sees it
 * ("retry now" is what the backoff does anyway, counted), and any other resend of the same attempt is refused.
 *
 * <p>OkHttp also reads a 503's Retry-After as an int to decide on that resend, and throws on a longer number
 * ("Retry-After: 9999999999"): such a wait becomes the longest one of nine digits (about 31 years), which every cap
 * refuses just the same.
 */
final class OneSendPerAttempt implements Interceptor {
    /** The longest Retry-After in seconds that OkHttp reads: nine digits always fit in an int. */
    static final String LONGEST_WAIT = "999999999";

    /** The per-attempt counter, carried as a tag of the request so that OkHttp's follow-up request has it too. */
    static final class Sends {
        private final AtomicInteger count = new AtomicInteger();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Sends sends = chain.request().tag(Sends.class);
        if (sends != null && sends.count.incrementAndGet() > 1) {
            throw new IOException("the HTTP client tried to send one attempt a second time; refused, so that every "
                    + "request upstream is one the retry policy counted");
        }
        Response response = chain.proceed(chain.request());
        if (response.code() != 503) return response;
        String given = response.header("Retry-After");
        String readable = retryAfterForOkHttp(given);
        if (readable == null) return given == null ? response : response.newBuilder().removeHeader("Retry-After").build();
        return readable.equals(given) ? response : response.newBuilder().header("Retry-After", readable).build();
    }

    /**
     * The Retry-After of a 503 as OkHttp may see it: none for a wait of zero seconds (it would resend at once), nine
     * digits at most for a longer one (it reads the number as an int), anything else as it came.
     */
    static String retryAfterForOkHttp(String value) {
        String seconds = stripLeadingZeros(value);
        if (seconds == null) return value;
        if (seconds.equals("0")) return null;
        return seconds.length() > LONGEST_WAIT.length() ? LONGEST_WAIT : value;
    }

    private static String stripLeadingZeros(String value) {
        if (value == null || !value.trim().matches("\\d+")) return null;
        return value.trim().replaceFirst("^0+(?=\\d)", "");
    }
}
