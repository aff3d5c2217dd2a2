package dev.ambassadorlab.ambassador.trace;

import dev.ambassadorlab.ambassador.errors.ErrorCode;

import java.util.Locale;

/**
 * How a proxied request ended, as one word from a fixed vocabulary: the {@code ended} field of its trace and of its
 * log line, and the label of {@code ambassador_request_endings_total}. docs/request-lifecycle.md lists them beside the
 * error codes.
 */
public enum Ending {
    /** The upstream's answer was used or relayed: a 2xx or 3xx. */
    SUCCESS("the upstream's answer was used or relayed"),
    /** Every attempt allowed failed with something worth retrying (5xx, 429, a timeout, a broken connection). */
    RETRIES_EXHAUSTED("every attempt allowed failed (5xx, 429, a timeout or a broken connection)"),
    /** A retry was due but the retry budget had none left. */
    RETRY_BUDGET_SPENT("a retry was due, but the retry budget was spent"),
    /** The upstream's circuit breaker was open: the call was not made (or not made again). */
    BREAKER_OPEN("the upstream's circuit breaker was open: it was not called"),
    /** The request deadline passed, or the wait before a retry would have reached it. */
    DEADLINE("the request deadline passed, or the wait before a retry would have reached it"),
    /** No bulkhead permit came in time. */
    BULKHEAD_FULL("no bulkhead permit came within `BULKHEAD_MAX_WAIT_MS`"),
    /** The failure is not worth repeating (a 4xx), or the request is not safe to repeat (a POST without key). */
    NOT_RETRYABLE("the upstream answered a 4xx, or failed a request that is not safe to repeat (a POST without "
            + "`Idempotency-Key`)"),
    /** The upstream asked for a longer wait than RETRY_AFTER_MAX_MS: passed on to the caller instead. */
    RETRY_AFTER_TOO_LONG("the upstream's `Retry-After` was longer than `RETRY_AFTER_MAX_MS`: passed on to the caller"),
    /** The upstream was down or too slow, and the last good image answered, marked stale. */
    STALE_FALLBACK("the upstream was down or too slow; the last good image answered, marked stale"),
    /** The caller's request was refused before anything was sent upstream. */
    CALLER_ERROR("the caller's request was refused before anything was sent upstream (a 4xx of the ambassador's)"),
    /** The upstream answered something the ambassador will not use or relay. */
    HOSTILE_UPSTREAM("the upstream answered something the ambassador will not use or relay (a 502)"),
    /** The ambassador's memory for bodies was taken by other requests. */
    OVERLOADED("the memory for bodies (`BODY_MEMORY_MAX_BYTES`) was taken by other requests"),
    /** IMAGES_DIR had no room for another image. */
    STORAGE_FULL("`IMAGES_DIR` had no room for another image"),
    /** A bug in the ambassador, or a disk that failed. */
    INTERNAL_ERROR("a bug in the ambassador, or the disk failed (a 500)");

    private final String meaning;
    private final String label;

    Ending(String meaning) {
        this.meaning = meaning;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The word as logs, traces and metrics show it, such as "retries_exhausted". */
    public String label() {
        return label;
    }

    /** One line on what happened, as the table in docs/request-lifecycle.md says it. */
    public String meaning() {
        return meaning;
    }

    /**
     * The ending of a request the ambassador answered with an error of its own.
     *
     * @param noted what the request noted on its way, when it knows better than the code: why retries stopped
     *              (exhausted, budget, Retry-After, not retryable), or that the memory for bodies ran out; or null
     */
    public static Ending ofError(ErrorCode code, Ending noted) {
        return switch (code) {
            case BAD_PATH, BAD_HEADER, METHOD_OVERRIDE_REFUSED, BAD_REQUEST_BODY, BAD_PARAMETER, NOT_FOUND, NOT_ACCEPTABLE, REQUEST_TIMEOUT,
                 BODY_TOO_LARGE -> CALLER_ERROR;
            case INTERNAL_ERROR, STORAGE_ERROR -> INTERNAL_ERROR;
            case STORAGE_FULL -> STORAGE_FULL;
            case UPSTREAM_REJECTED -> NOT_RETRYABLE;
            case UPSTREAM_REDIRECT, MALFORMED_SEARCH_ANSWER, INVALID_IMAGE_ID, IMAGE_URL_NOT_ALLOWED, NOT_AN_IMAGE,
                 ANSWER_TOO_LARGE, SELF_CALL_REFUSED, BAD_UPSTREAM_ANSWER -> HOSTILE_UPSTREAM;
            case UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, TRUNCATED_ANSWER -> whyRetriesStopped(noted);
            case CIRCUIT_OPEN -> BREAKER_OPEN;
            case OVERLOADED -> noted == OVERLOADED ? OVERLOADED : BULKHEAD_FULL;
            case DEADLINE_EXCEEDED -> DEADLINE;
        };
    }

    /** The ending of a request whose upstream answer was relayed as it came, with that answer's status. */
    public static Ending ofRelayed(int status, Ending noted) {
        if (status < 400) return SUCCESS;
        if (status == 429 || status >= 500) return whyRetriesStopped(noted);
        return NOT_RETRYABLE;
    }

    private static Ending whyRetriesStopped(Ending noted) {
        return noted == RETRY_BUDGET_SPENT || noted == RETRY_AFTER_TOO_LONG || noted == NOT_RETRYABLE
                ? noted : RETRIES_EXHAUSTED;
    }
}
