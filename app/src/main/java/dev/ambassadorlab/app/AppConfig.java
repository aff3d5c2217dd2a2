package dev.ambassadorlab.app;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The app's four settings. It needs so few because the ambassador carries the rest: the app knows one URL on
 * localhost, how long it is willing to wait, and how often it may send a request again ({@link AmbassadorRetries}
 * decides when).
 *
 * @param ambassadorTimeout how long the app waits for the ambassador; keep it above the ambassador's
 *                          REQUEST_DEADLINE_MS so that the ambassador's own 504 (with its reason) gets through
 */
public record AppConfig(int port, URI ambassadorUrl, Duration ambassadorTimeout, int retries) {

    public static AppConfig fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        int port = (int) number(env, "APP_PORT", 5000, 0, 65535, problems);
        URI ambassador = url(env, "AMBASSADOR_URL", "http://localhost:5001", problems);
        long timeoutMs = number(env, "AMBASSADOR_TIMEOUT_MS", 8000, 10, 600_000, problems);
        int retries = (int) number(env, "APP_RETRIES", 2, 0, 5, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The app did not start: " + String.join("; ", problems));
        }
        return new AppConfig(port, ambassador, Duration.ofMillis(timeoutMs), retries);
    }

    private static long number(Map<String, String> env, String name, long fallback, long min, long max,
                               List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) return parsed;
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problems.add(name + "=\"" + value + "\" is not valid: expected a whole number from " + min + " to " + max
                + " (unset it to use the default, " + fallback + ")");
        return fallback;
    }

    private static URI url(Map<String, String> env, String name, String fallback, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return URI.create(fallback);
        String trimmed = value.trim().replaceAll("/+$", "");
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        problems.add(name + "=\"" + value + "\" is not valid: expected an http:// URL such as " + fallback);
        return URI.create(fallback);
    }
}
