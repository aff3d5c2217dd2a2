package dev.ambassadorlab.console.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** A /metrics page that is garbage, in part or whole, never stops the readings nor breaks the page's JSON. */
class StateSamplerTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private WireMockServer ambassador;
    private StateSampler sampler;

    @BeforeEach
    void start() {
        ambassador = new WireMockServer(options().dynamicPort());
        ambassador.start();
        sampler = new StateSampler(HttpUrl.get(ambassador.baseUrl()), new OkHttpClient(), clock::get);
    }

    @AfterEach
    void stop() {
        sampler.close();
        ambassador.stop();
    }

    private StatePoint sampleOf(String metrics) {
        ambassador.stubFor(get("/metrics").willReturn(aResponse().withBody(metrics)));
        sampler.sample();
        clock.addAndGet(1_000);
        return sampler.latest();
    }

    @Test
    void not_a_number_where_a_value_or_a_bucket_bound_goes_is_left_out_and_the_rest_is_read() throws Exception {
        sampleOf("ambassador_retries_total 1\n");
        StatePoint point = sampleOf("""
                ambassador_retries_total 3
                ambassador_retry_budget_remaining NaN
                ambassador_bulkhead_in_flight +Inf
                ambassador_requests_in_flight twelve
                ambassador_request_duration_seconds_bucket{le="soon"} 4
                ambassador_request_duration_seconds_bucket{le="NaN"} 4
                ambassador_request_duration_seconds_bucket{le="+Inf"} 4
                ambassador_circuit_breaker_state{upstream="cats" 2
                """);

        assertThat(point.ambassadorUp()).isTrue();
        assertThat(point.retriesPerSecond()).isEqualTo(2.0);
        assertThat(point.retryBudgetLeft()).isNull();
        assertThat(point.bulkheadInUse()).isNull();
        assertThat(point.requestsInFlight()).isNull();
        assertThat(point.breakers()).isEmpty();
        assertThatCode(() -> new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(point)))
                .as("valid JSON for the page").doesNotThrowAnyException();
    }

    @Test
    void hedges_by_result_and_upstream_calls_per_callers_request_come_from_two_readings() {
        sampleOf("""
                ambassador_requests_total{status="success"} 10
                ambassador_upstream_attempts_total{upstream="cats",outcome="success"} 10
                ambassador_hedges_total{result="won"} 0
                """);
        StatePoint point = sampleOf("""
                ambassador_requests_total{status="success"} 14
                ambassador_requests_total{status="unavailable"} 1
                ambassador_upstream_attempts_total{upstream="cats",outcome="success"} 14
                ambassador_upstream_attempts_total{upstream="cats",outcome="server_error"} 6
                ambassador_hedges_total{result="won"} 2
                ambassador_caller_retries_total 1
                """);

        assertThat(point.hedgesPerSecond()).containsEntry("won", 2.0);
        assertThat(point.upstreamCallsPerRequest()).as("10 attempts for 5 answers, 1 of them a caller's retry")
                .isEqualTo(2.5);
        assertThat(sampleOf("ambassador_requests_total{status=\"success\"} 16\n").upstreamCallsPerRequest())
                .as("no attempts counted: none per request").isEqualTo(0.0);
    }

    @Test
    void a_page_of_binary_garbage_or_one_far_too_large_reads_as_no_metrics_and_the_readings_go_on() {
        assertThat(sampleOf("\u0000\u00ff{{{ }}} \n\n\t=\"").ambassadorUp()).isTrue();
        assertThat(sampleOf("x".repeat((int) StateSampler.MAX_METRICS_BYTES + 10)).ambassadorUp()).isFalse();

        assertThat(sampleOf("ambassador_retries_total 1\n").ambassadorUp()).as("the next reading").isTrue();
        assertThat(sampler.history()).hasSize(3);
    }
}
