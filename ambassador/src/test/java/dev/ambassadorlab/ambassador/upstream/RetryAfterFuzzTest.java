package dev.ambassadorlab.ambassador.upstream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ambassadorlab.ambassador.resilience.RetryAfter;
import okhttp3.Headers;

import java.time.Clock;
import java.time.Duration;

/**
 * Coverage-guided fuzzing of Retry-After, as OkHttp and the ambassador read it (SECURITY.md: a huge Retry-After is
 * never a 500).
 */
class RetryAfterFuzzTest {
    private static final RetryAfter RETRY_AFTER = new RetryAfter(Duration.ofSeconds(5), Clock.systemUTC());

    @FuzzTest
    void aRetryAfterIsAWaitOfZeroOrMoreAndOkHttpCanReadWhatItSees(String value) {
        String seen = OneSendPerAttempt.retryAfterForOkHttp(value);
        if (seen != null && seen.matches("\\d+")) Integer.valueOf(seen); // what OkHttp does with it: must not throw
        Headers headers;
        try {
            headers = Headers.of("Retry-After", value);
        } catch (IllegalArgumentException notAHeader) {
            return; // OkHttp would not have read such an answer
        }
        RETRY_AFTER.requested(new UpstreamResponse(503, headers, new byte[0])).ifPresent(wait -> {
            if (wait.isNegative()) throw new AssertionError(value + " asked for " + wait);
        });
    }
}
