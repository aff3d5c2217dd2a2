package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads an upstream's Retry-After header (delta-seconds or an HTTP date). The ambassador waits that long before
 * retrying, up to a cap; when the upstream asks for more than the cap, the ambassador stops retrying and passes the
 * wait on to its caller instead of holding the request hostage.
 */
public final class RetryAfter {
    public static final String HEADER = "Retry-After";
    private final Duration cap;
    private final Clock clock;

    public RetryAfter(Duration cap, Clock clock) {
        this.cap = cap;
        this.clock = clock;
    }

    /** The wait the upstream asked for, if it asked in a form we understand. Never negative. */
    public Optional<Duration> requested(UpstreamResponse response) {
        String value = response == null ? null : response.header(HEADER);
        if (value == null || value.isBlank()) return Optional.empty();
        // TODO(06): a Retry-After header holds either whole seconds ("2") or an HTTP date
        //  ("Thu, 26 Nov 2026 10:00:04 GMT"). Return the wait it asks for, never negative (a date in the past means
        //  no wait); empty when it cannot be read.
        return Optional.empty();
    }

    /** The wait to honour before the next attempt: what the upstream asked for, when that is within the cap. */
    public Optional<Duration> delayWithinCap(UpstreamResponse response) {
        return requested(response).filter(wait -> wait.compareTo(cap) <= 0);
    }

    /** True when the upstream asked for a longer wait than the ambassador will hold a caller for. */
    public boolean exceedsCap(UpstreamResponse response) {
        return requested(response).map(wait -> wait.compareTo(cap) > 0).orElse(false);
    }
}
