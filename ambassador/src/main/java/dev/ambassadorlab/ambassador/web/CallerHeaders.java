package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.AmbassadorException;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** The request headers a caller can use to steer the ambassador, read and checked in one place. */
public final class CallerHeaders {
    public static final String REQUEST_ID = "X-Request-Id";
    /** Lowers the retry count for one request (never above RETRY_MAX_RETRIES). */
    public static final String MAX_RETRIES = "X-Ambassador-Max-Retries";
    public static final String STALE = "X-Ambassador-Stale";
    /** Ids are echoed into logs and headers, so only a plain token is kept; anything else is replaced. */
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private CallerHeaders() {
    }

    /** The caller's X-Request-Id when it is a plain token, else a new UUID. */
    public static String requestId(Context ctx) {
        String given = ctx.header(REQUEST_ID);
        return given != null && SAFE_REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    /** The retry count the caller wants: the configured maximum unless the caller asks for fewer. */
    public static int retriesWanted(Context ctx, int configuredMax) {
        String value = ctx.header(MAX_RETRIES);
        if (value == null) return configuredMax;
        try {
            int wanted = Integer.parseInt(value.trim());
            if (wanted >= 0) return Math.min(wanted, configuredMax);
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw AmbassadorException.badRequest("bad_header", MAX_RETRIES + " must be a whole number from 0 to "
                + configuredMax + "; it can only lower the retry count");
    }

    /** "Cache-Control: no-cache" (or no-store) means the caller wants a fresh answer or an error, never a stale one. */
    public static boolean acceptsStale(Context ctx) {
        String cacheControl = ctx.header("Cache-Control");
        if (cacheControl == null) return true;
        String directives = cacheControl.toLowerCase(Locale.ROOT);
        return !directives.contains("no-cache") && !directives.contains("no-store");
    }
}
