package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.edge.RequestIds;
import io.javalin.http.Context;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The request headers a caller can use to steer the ambassador, read and checked in one place. */
public final class CallerHeaders {
    public static final String REQUEST_ID = RequestIds.HEADER;
    /** Lowers the retry count for one request (never above RETRY_MAX_RETRIES). */
    public static final String MAX_RETRIES = "X-Ambassador-Max-Retries";
    public static final String STALE = "X-Ambassador-Stale";
    /** Headers some frameworks read to change a request's method; Javalin's ctx.method() honours the first. */
    private static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
    /** What an HTTP/1.1 header value may hold: visible ASCII, spaces and tabs. */
    private static final Pattern HEADER_VALUE = Pattern.compile("[\\t\\x20-\\x7e]*");

    private CallerHeaders() {
    }

    /** The caller's X-Request-Id when it is a plain token, else a new one ({@link RequestIds}). */
    public static String requestId(Context ctx) {
        return RequestIds.keepOrNew(ctx.header(REQUEST_ID));
    }

    /**
     * Refuses a request that asks for another method in a header: the method the upstream sees comes from the request
     * line only, or a GET the caller may send would reach the upstream as a DELETE carrying the key.
     */
    public static void refuseMethodOverride(Context ctx) {
        for (String name : METHOD_OVERRIDES) {
            if (ctx.header(name) != null) {
                throw new AmbassadorException(ErrorCode.METHOD_OVERRIDE_REFUSED, name + " is refused: the ambassador "
                        + "forwards the method of the request line only; send the method you mean");
            }
        }
    }

    /** A caller's header value to forward, refused with a 400 when it holds what an HTTP header cannot carry. */
    public static String forwardable(String name, String value) {
        if (!HEADER_VALUE.matcher(value).matches()) {
            throw new AmbassadorException(ErrorCode.BAD_HEADER, "the " + name + " header holds a character outside "
                    + "printable ASCII; it cannot be forwarded");
        }
        return value;
    }

    /**
     * The retries a request may have: RETRY_MAX_RETRIES, unless its caller asks for fewer. The one place the caller's
     * wish and the configured maximum meet; the policies take the result as it is.
     */
    public static int retriesAllowed(Context ctx, int configuredMax) {
        return retriesAllowed(ctx.header(MAX_RETRIES), configuredMax);
    }

    /** The retries allowed when the {@value #MAX_RETRIES} header has this value (null: none asked). */
    static int retriesAllowed(String value, int configuredMax) {
        if (value == null) return configuredMax;
        try {
            int wanted = Integer.parseInt(value.trim());
            if (wanted >= 0) return Math.min(wanted, configuredMax);
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new AmbassadorException(ErrorCode.BAD_HEADER, MAX_RETRIES + " must be a whole number from 0 to "
                + configuredMax + "; it can only lower the retry count");
    }

    /** "Cache-Control: no-cache" (or no-store) means the caller wants a fresh answer or an error, never a stale one. */
    public static boolean acceptsStale(Context ctx) {
        return acceptsStale(ctx.header("Cache-Control"));
    }

    /** Whether a request with this Cache-Control (null: none) accepts a stale answer. */
    static boolean acceptsStale(String cacheControl) {
        if (cacheControl == null) return true;
        String directives = cacheControl.toLowerCase(Locale.ROOT);
        return !directives.contains("no-cache") && !directives.contains("no-store");
    }
}
