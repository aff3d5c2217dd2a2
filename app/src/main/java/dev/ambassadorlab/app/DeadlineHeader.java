package dev.ambassadorlab.app;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What the app tells the ambassador about time: {@value #NAME}, the milliseconds the app will wait for its answer, or
 * its own caller's when that caller sent a shorter one. The ambassador then never works on for an answer nobody waits
 * for (exercise 12).
 */
final class DeadlineHeader {
    static final String NAME = "X-Request-Deadline-Ms";
    private static final Pattern WHOLE_MILLISECONDS = Pattern.compile("[0-9]{1,9}");

    private DeadlineHeader() {
    }

    /** @param callerValue the app's caller's {@value #NAME}, or null; one that is not whole milliseconds is ignored */
    static String forAmbassador(String callerValue, Duration appWaits) {
        long millis = appWaits.toMillis();
        if (callerValue != null) {
            String value = callerValue.strip();
            if (WHOLE_MILLISECONDS.matcher(value).matches()) millis = Math.min(millis, Long.parseLong(value));
        }
        return Long.toString(millis);
    }
}
