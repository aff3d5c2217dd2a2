package dev.ambassadorlab.console;

import io.javalin.http.Context;
import okhttp3.HttpUrl;

import java.util.regex.Pattern;

/**
 * Refuses what a web page from elsewhere could make a browser send to the console: its buttons switch faults and load
 * on, and any page the learner opens could post to localhost. A request whose {@code Origin} is not the console's own
 * is refused (a cross-site form or fetch), and so is one whose {@code Host} is a name other than localhost (a page
 * whose own name was pointed at 127.0.0.1 afterwards, "DNS rebinding"). IP addresses pass, so that a trainer can bind
 * the console to the room's network and open it by address; {@code ./lab fault} (curl) sends no Origin.
 */
final class CrossSiteGuard {
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9.]+|.*:.*");

    private CrossSiteGuard() {
    }

    static void check(Context ctx) {
        String host = ctx.header("Host");
        HttpUrl own = host == null ? null : HttpUrl.parse("http://" + host + "/");
        if (own == null || !(own.host().equals("localhost") || IP_ADDRESS.matcher(own.host()).matches())) {
            throw new CrossSiteException("the console answers to http://localhost:PORT or an IP address, not to the "
                    + "name this request was sent to; open it as http://localhost:" + ctx.port());
        }
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("http://" + host)) {
            throw new CrossSiteException("a page from another site may not use the console; open the console itself "
                    + "at http://" + host);
        }
    }

    /** A request the guard refused: answered 403 with the reason. */
    static final class CrossSiteException extends RuntimeException {
        CrossSiteException(String reason) {
            super(reason);
        }
    }
}
