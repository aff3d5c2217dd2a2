package dev.ambassadorlab.ambassador.errors;

import java.util.Locale;

/**
 * Every error the ambassador answers with, in one place: the code a caller reads in {@code {"error": code}}, its HTTP
 * status, and what it means. The error table in docs/request-lifecycle.md is checked against this list, so the two
 * cannot disagree.
 */
public enum ErrorCode {
    // The caller's request is refused before anything is sent upstream.
    BAD_PATH(400, "the `/v1/...` path would leave `/v1/` of The Cat API, or holds an encoded `/`, `\\` or `.`"),
    BAD_HEADER(400, "a header cannot be forwarded as it is: a non-ASCII character, an empty `Idempotency-Key`, "
            + "or an `X-Ambassador-Max-Retries` or `X-Request-Deadline-Ms` that is not a whole number"),
    METHOD_OVERRIDE_REFUSED(400, "the request carries `X-HTTP-Method-Override` or one of its kin"),
    BAD_REQUEST_BODY(400, "the request body could not be read"),
    BAD_PARAMETER(400, "a query parameter of an admin route is out of range, such as `limit` of `/debug/requests`"),
    NOT_FOUND(404, "no such route on this port (the proxy and the admin port serve different routes)"),
    NOT_ACCEPTABLE(406, "`/debug/requests/stream` was asked for without `Accept: text/event-stream`"),
    REQUEST_TIMEOUT(408, "the request body did not arrive within the request's deadline"),
    BODY_TOO_LARGE(413, "the request body is larger than `ANSWER_MAX_BYTES`"),

    // The ambassador itself failed.
    INTERNAL_ERROR(500, "a bug in the ambassador; its log has the details under the request id"),
    STORAGE_ERROR(500, "the image could not be saved in `IMAGES_DIR` (not writable, or the disk failed)"),

    // The upstream answered something the ambassador will not use.
    UPSTREAM_REJECTED(502, "the upstream answered a 4xx other than 429 (a 401 or 403: check `CAT_API_KEY`)"),
    UPSTREAM_REDIRECT(502, "the upstream answered a redirect; the ambassador does not follow redirects"),
    MALFORMED_SEARCH_ANSWER(502, "the search answer is not the JSON The Cat API sends"),
    INVALID_IMAGE_ID(502, "the search answer's image id cannot be a safe file name"),
    IMAGE_URL_NOT_ALLOWED(502, "the image URL is not http(s), carries user info, or its origin is not allowed "
            + "(`IMAGE_HOSTS`)"),
    NOT_AN_IMAGE(502, "the download is not a JPEG, PNG or GIF, by its `Content-Type` or its bytes"),
    TRUNCATED_ANSWER(502, "the upstream broke off its answer before the end"),
    ANSWER_TOO_LARGE(502, "the answer is larger than `IMAGE_MAX_BYTES` (an image) or `ANSWER_MAX_BYTES` (the rest)"),
    SELF_CALL_REFUSED(502, "an upstream URL points at the ambassador's own ports"),
    BAD_UPSTREAM_ANSWER(502, "the answer is not HTTP the ambassador relays: an invalid status line, a status outside "
            + "200-599, or an answer header that is too large, not ASCII, or carries the API key"),

    // The upstream is unavailable, or the ambassador is shielding it; these carry a Retry-After when one is known.
    UPSTREAM_UNAVAILABLE(503, "the upstream could not be reached, or answered 429 or 5xx, after the retries allowed"),
    CIRCUIT_OPEN(503, "the upstream's circuit breaker is open: it was not called"),
    OVERLOADED(503, "the bulkhead is full and no permit came within `BULKHEAD_MAX_WAIT_MS`, or the answers held "
            + "for slow callers use up the ambassador's memory for bodies"),
    STORAGE_FULL(503, "`IMAGES_DIR` has no room for another image of `IMAGE_MAX_BYTES` beside the downloads in flight"),

    // Time ran out.
    UPSTREAM_TIMEOUT(504, "the last attempt ran past `ATTEMPT_TIMEOUT_MS`"),
    DEADLINE_EXCEEDED(504, "the request ran past `REQUEST_DEADLINE_MS`, retries and waits included, or the wait before a retry would have");

    private final int status;
    private final String meaning;

    ErrorCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    /** The code as callers read it in the JSON body: the constant's name in lower case, such as "circuit_open". */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int status() {
        return status;
    }

    /** One line on what happened, as the error table in docs/request-lifecycle.md says it. */
    public String meaning() {
        return meaning;
    }
}
