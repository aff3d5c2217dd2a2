package dev.ambassadorlab.console.load;

import java.util.List;

/** A load the page or a terminal asked for: a rate from the switch's positions, for a bounded time. */
public record LoadRequest(int rate, int seconds) {
    public static final List<Integer> RATES = List.of(0, 1, 10, 50);
    public static final int MAX_SECONDS = 300;

    /** Checks the query's values; the message says what is allowed. */
    public static LoadRequest parse(String rate, String seconds) {
        int r = whole("rate", rate, 0);
        if (!RATES.contains(r)) {
            throw new IllegalArgumentException("rate=" + rate + " is not offered: choose one of " + RATES
                    + " requests a second (0 stops the load)");
        }
        int s = whole("seconds", seconds, 60);
        if (s < 1 || s > MAX_SECONDS) {
            throw new IllegalArgumentException("seconds=" + seconds + " is out of range: choose 1 to " + MAX_SECONDS);
        }
        return new LoadRequest(r, s);
    }

    private static int whole(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            if (name.equals("rate")) throw new IllegalArgumentException("rate is missing: add ?rate=1, 10 or 50 (0 stops)");
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException(name + "=" + value + " is not a whole number");
        }
    }
}
