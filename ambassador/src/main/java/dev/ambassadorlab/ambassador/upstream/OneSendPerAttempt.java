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
 */
final class OneSendPerAttempt implements Interceptor {

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
        if (response.code() == 503 && "0".equals(stripLeadingZeros(response.header("Retry-After")))) {
            return response.newBuilder().removeHeader("Retry-After").build();
        }
        return response;
    }

    private static String stripLeadingZeros(String value) {
        if (value == null || !value.trim().matches("\\d+")) return null;
        return value.trim().replaceFirst("^0+(?=\\d)", "");
    }
}
