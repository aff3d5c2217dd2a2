package dev.ambassadorlab.ambassador.web;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.regex.Pattern;

/**
 * Counts the requests a caller sends again, as its {@value #HEADER} header says (2 on its first retry): with the
 * ambassador's own retries and attempts in /metrics, the retries of both layers can be seen together, and the upstream
 * calls per caller's request (the amplification) computed from them.
 */
public final class CallerRetries {
    public static final String HEADER = "X-Retry-Attempt";
    /** A small whole number in ASCII digits: a value that is not one counts as no retry, never as an error. */
    private static final Pattern ATTEMPT = Pattern.compile("[0-9]{1,4}");
    private final Counter retries;

    public CallerRetries(PrometheusRegistry registry) {
        retries = Counter.builder().name("ambassador_caller_retries")
                .help("Requests their caller sent again (X-Retry-Attempt of 2 or more): the caller's own retries")
                .register(registry);
    }

    /** @param header the request's {@value #HEADER} value, or null */
    public void count(String header) {
        if (isRetry(header)) retries.inc();
    }

    static boolean isRetry(String header) {
        if (header == null) return false;
        String value = header.strip();
        return ATTEMPT.matcher(value).matches() && Integer.parseInt(value) >= 2;
    }
}
