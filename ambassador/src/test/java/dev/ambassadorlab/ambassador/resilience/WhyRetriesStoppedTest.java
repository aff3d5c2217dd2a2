package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.trace.Ending;
import dev.ambassadorlab.ambassador.upstream.UpstreamCall;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which reason a trace gives when the last attempt of a call failed in a way worth retrying. */
class WhyRetriesStoppedTest {
    private static final HttpUrl URL = HttpUrl.get("http://cats.test/v1/favourites");
    private final FailureTranslator failures = new FailureTranslator(
            new RetryAfter(Duration.ofSeconds(3), Clock.systemUTC()), new AmbassadorMetrics(new PrometheusRegistry()));
    private final UpstreamRequest get = UpstreamRequest.get(UpstreamCall.SEARCH, URL, "cats.test:80", 1024);
    private final UpstreamRequest post = new UpstreamRequest(UpstreamCall.PASSTHROUGH, "POST", URL, "cats.test:80",
            Headers.of(), new byte[0], "application/json", 1024, null);
    private final UpstreamResponse unavailable = new UpstreamResponse(503, Headers.of(), new byte[0]);

    @Test
    void aRequestNotSafeToRepeatWithNoRetryIsNotRetryable() {
        assertThat(failures.whyRetriesStopped(post, 0, 1, unavailable, false)).isEqualTo(Ending.NOT_RETRYABLE);
        var withKey = new UpstreamRequest(UpstreamCall.PASSTHROUGH, "POST", URL, "cats.test:80",
                Headers.of(UpstreamRequest.IDEMPOTENCY_KEY, "k-1"), new byte[0], "application/json", 1024, null);
        assertThat(failures.whyRetriesStopped(withKey, 0, 1, unavailable, false))
                .as("a POST with Idempotency-Key whose caller asked for no retry").isEqualTo(Ending.RETRIES_EXHAUSTED);
    }

    @Test
    void everyRetryMadeIsRetriesExhaustedWhateverTheBudget() {
        assertThat(failures.whyRetriesStopped(get, 2, 3, unavailable, true)).isEqualTo(Ending.RETRIES_EXHAUSTED);
        assertThat(failures.whyRetriesStopped(get, 0, 1, unavailable, true)).as("the caller asked for none")
                .isEqualTo(Ending.RETRIES_EXHAUSTED);
    }

    @Test
    void stoppingEarlyOnAWaitBeyondTheCapIsRetryAfterTooLong() {
        var longWait = new UpstreamResponse(503, Headers.of("Retry-After", "4"), new byte[0]);
        var shortWait = new UpstreamResponse(503, Headers.of("Retry-After", "3"), new byte[0]);

        assertThat(failures.whyRetriesStopped(get, 2, 1, longWait, true)).isEqualTo(Ending.RETRY_AFTER_TOO_LONG);
        assertThat(failures.whyRetriesStopped(get, 2, 1, shortWait, true)).isEqualTo(Ending.RETRY_BUDGET_SPENT);
    }

    @Test
    void stoppingEarlyWithTheBudgetSpentIsRetryBudgetSpentAndOtherwiseRetriesExhausted() {
        assertThat(failures.whyRetriesStopped(get, 2, 2, null, true)).isEqualTo(Ending.RETRY_BUDGET_SPENT);
        assertThat(failures.whyRetriesStopped(get, 2, 1, null, false))
                .as("a retry policy that retried less than it was told, the budget untouched")
                .isEqualTo(Ending.RETRIES_EXHAUSTED);
    }
}
