package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Deadline propagation. A caller says in {@value #HEADER} how long it will wait for its answer, in whole milliseconds
 * from when it sends (a span, not a time of day, so no two clocks need agree). The ambassador keeps the smaller of
 * that and its own REQUEST_DEADLINE_MS, so it never works on for a caller that has given up; and each attempt tells the
 * upstream, in the same header, how long that attempt has, so the next hop can do the same.
 */
public final class Deadlines {
    public static final String HEADER = "X-Request-Deadline-Ms";
    /** ASCII digits only: Java's number parsing also takes other scripts' digits and a sign. */
    private static final Pattern WHOLE_MILLISECONDS = Pattern.compile("[0-9]{1,9}");

    private Deadlines() {
    }

    /**
     * The request's deadline: the configured one, or the caller's when its header asks for less. A value that is not
     * a whole number of milliseconds is a 400 {@code bad_header}; 0 means no time at all (a 504 without an attempt).
     *
     * @param callerValue the header's value, or null when the caller sent none
     */
    public static Duration forRequest(String callerValue, Duration configured) {
        if (callerValue == null) return configured;
        String value = callerValue.strip();
        if (!WHOLE_MILLISECONDS.matcher(value).matches()) {
            throw new AmbassadorException(ErrorCode.BAD_HEADER, HEADER + " must be the milliseconds you will wait, "
                    + "a whole number from 0 to 999999999 (for example 800)");
        }
        Duration asked = Duration.ofMillis(Long.parseLong(value));
        return asked.compareTo(configured) < 0 ? asked : configured;
    }

    /**
     * The value of {@value #HEADER} on an attempt that may take {@code limit}: whole milliseconds, rounded down (the
     * upstream must not count on time the ambassador will not give), and at least 1.
     */
    public static String forAttempt(Duration limit) {
        return Long.toString(Math.max(1, limit.toMillis()));
    }
}
