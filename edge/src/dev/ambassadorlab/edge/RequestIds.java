package dev.ambassadorlab.edge;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id both services log and pass along in {@code X-Request-Id}: the caller's own when it is a plain
 * token, otherwise a new one. The app and its ambassador check it alike, so the two logs line up for every request.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    /** Ids are echoed into logs and headers, so only a plain token is kept; anything else is replaced. */
    private static final Pattern PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The caller's id when it is a plain token of at most 128 characters, else a new one. */
    public static String keepOrNew(String given) {
        return given != null && PLAIN_TOKEN.matcher(given).matches() ? given : newId();
    }

    /**
     * A new random (version 4) UUID. A request id only has to be unique, not unguessable: UUID.randomUUID() draws
     * from a SecureRandom that every request thread would queue for.
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xf000L | 0x4000L;                  // version 4
        long low = random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
