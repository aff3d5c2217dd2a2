package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.upstream.UpstreamCall;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What a failure of an upstream call becomes: an error code, and words of the ambassador's own, never the upstream's. */
class FailureTranslatorTest {
    private static final Duration DEADLINE = Duration.ofSeconds(6);
    private final FailureTranslator failures = new FailureTranslator(
            new RetryAfter(Duration.ofSeconds(3), Clock.systemUTC()), new AmbassadorMetrics(new PrometheusRegistry()));
    private final UpstreamRequest search = UpstreamRequest.get(UpstreamCall.SEARCH,
            HttpUrl.get("http://cats.test/v1/images/search"), "cats.test:80", 1024);

    private AmbassadorException translated(Throwable failure, int attempts) {
        return failures.translate(failure, search, attempts, DEADLINE);
    }

    @Test
    void theAmbassadorsOwnErrorPassesAsItIs() {
        var own = new AmbassadorException(ErrorCode.OVERLOADED, "busy");
        assertThat(translated(own, 1)).isSameAs(own);
    }

    @Test
    void eachKindOfIoFailureIsSaidInTheAmbassadorsWordsNotTheExceptionsMessage() {
        String secret = "upstream said: x-api-key=live_123";
        assertThat(translated(new UnknownHostException(secret), 1).reason())
                .contains("cannot be resolved", "CAT_API_URL", "1 attempt").doesNotContain("live_123");
        assertThat(translated(new ConnectException(secret), 3).reason())
                .contains("could not connect", "3 attempts").doesNotContain("live_123");
        assertThat(translated(new SocketTimeoutException(secret), 2).reason())
                .contains("the connection timed out", "2 attempts").doesNotContain("live_123");
        assertThat(translated(new SSLException(secret), 1).reason())
                .contains("TLS failed").doesNotContain("live_123");
        assertThat(translated(new IOException(secret), 1).reason())
                .contains("the connection broke").doesNotContain("live_123");
        assertThat(translated(new IOException(secret), 1).code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    }

    @Test
    void aBugIsNotDressedUpAsAnUpstreamFailure() {
        var bug = new IllegalStateException("bug");
        assertThat(catchThrowable(() -> translated(bug, 1))).isSameAs(bug);
        var odd = new Exception("checked, not I/O");
        assertThat(catchThrowable(() -> translated(odd, 1))).isInstanceOf(IllegalStateException.class)
                .hasCause(odd);
    }

    @Test
    void anOpenBreakerAsksForAtLeastASecond() {
        CircuitBreaker<Object> breaker = CircuitBreaker.builder().withDelay(Duration.ofMillis(200)).build();
        breaker.open();
        AmbassadorException open = translated(new CircuitBreakerOpenException(breaker), 0);
        assertThat(open.code()).isEqualTo(ErrorCode.CIRCUIT_OPEN);
        assertThat(open.retryAfter()).as("less than a second left: Retry-After counts whole seconds")
                .isEqualTo(Duration.ofSeconds(1));
        CircuitBreaker<Object> longer = CircuitBreaker.builder().withDelay(Duration.ofSeconds(30)).build();
        longer.open();
        assertThat(translated(new CircuitBreakerOpenException(longer), 0).retryAfter())
                .isGreaterThan(Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"429, UPSTREAM_UNAVAILABLE", "500, UPSTREAM_UNAVAILABLE", "599, UPSTREAM_UNAVAILABLE",
            "499, UPSTREAM_REJECTED", "300, UPSTREAM_REDIRECT", "399, UPSTREAM_REDIRECT", "400, UPSTREAM_REJECTED",
            "404, UPSTREAM_REJECTED"})
    void aRefusalIsUnavailableARedirectOrRejected(int status, ErrorCode expected) {
        var answer = new UpstreamResponse(status, Headers.of(), new byte[0]);
        assertThat(failures.rejected(answer, UpstreamCall.SEARCH, 1).code()).isEqualTo(expected);
    }

    @Test
    void aRefusedKeySaysWhatToCheck() {
        for (int status : new int[] {401, 403}) {
            var answer = new UpstreamResponse(status, Headers.of(), new byte[0]);
            assertThat(failures.rejected(answer, UpstreamCall.SEARCH, 1).reason()).contains("check CAT_API_KEY");
        }
        var notFound = new UpstreamResponse(404, Headers.of(), new byte[0]);
        assertThat(failures.rejected(notFound, UpstreamCall.SEARCH, 1).reason()).doesNotContain("CAT_API_KEY");
    }
}
