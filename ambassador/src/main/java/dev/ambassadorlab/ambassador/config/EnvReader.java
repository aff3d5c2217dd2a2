package dev.ambassadorlab.ambassador.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads typed settings from environment variables. Every problem is collected (not thrown at the first one), so a
 * learner fixes a bad configuration in one go; {@link #finish(String)} reports them all, each naming its variable.
 */
public final class EnvReader {
    /** An IPv4 literal (four numbers up to 255), or IPv6 (it has a colon): neither is ever looked up as a name. */
    private static final Pattern IP_LITERAL = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)|\\[?[0-9a-fA-F.]*:[0-9a-fA-F:.]*]?");
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public EnvReader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The raw value, or null when the variable is unset or blank (Compose writes unset variables as blank). */
    public String raw(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public int wholeNumber(String name, int fallback, int min, int max) {
        return (int) longNumber(name, fallback, min, max);
    }

    public long longNumber(String name, long fallback, long min, long max) {
        String value = raw(name);
        if (value == null) return fallback;
        try {
            long parsed = Long.parseLong(value.replace("_", ""));
            if (parsed >= min && parsed <= max) return parsed;
        } catch (NumberFormatException notANumber) {
            // reported below with the accepted range
        }
        reject(name, value, "a whole number from " + min + " to " + max, String.valueOf(fallback));
        return fallback;
    }

    public Duration millis(String name, long fallbackMs, long minMs, long maxMs) {
        return Duration.ofMillis(longNumber(name, fallbackMs, minMs, maxMs));
    }

    public double fraction(String name, double fallback, double min, double max) {
        String value = raw(name);
        if (value == null) return fallback;
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= min && parsed <= max) return parsed;
        } catch (NumberFormatException notANumber) {
            // reported below with the accepted range
        }
        reject(name, value, "a number from " + min + " to " + max, String.valueOf(fallback));
        return fallback;
    }

    public boolean flag(String name, boolean fallback) {
        String value = raw(name);
        if (value == null) return fallback;
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1": return true;
            case "false", "no", "off", "0": return false;
            default:
                reject(name, value, "true or false", String.valueOf(fallback));
                return fallback;
        }
    }

    /** An IP address to listen on, written as a literal: 127.0.0.1 (this host only), 0.0.0.0 (every interface), ::1. */
    public InetAddress ipAddress(String name, String fallback) {
        String value = raw(name);
        String text = value == null ? fallback : value;
        if (IP_LITERAL.matcher(text).matches()) {
            try {
                return InetAddress.getByName(text); // a literal: no name lookup happens
            } catch (UnknownHostException malformed) {
                // reported below
            }
        }
        reject(name, text, "an IP address such as 127.0.0.1 (this host only) or 0.0.0.0 (every interface)", fallback);
        return InetAddress.getLoopbackAddress();
    }

    public Path path(String name, String fallback) {
        String value = raw(name);
        try {
            return Path.of(value == null ? fallback : value).toAbsolutePath().normalize();
        } catch (InvalidPathException invalid) {
            reject(name, value, "a file system path", fallback);
            return Path.of(fallback).toAbsolutePath().normalize();
        }
    }

    /** A comma-separated list, lower-cased, blanks dropped; the fallback when unset. */
    public List<String> list(String name, List<String> fallback) {
        String value = raw(name);
        if (value == null) return fallback;
        return Arrays.stream(value.split(","))
                .map(item -> item.trim().toLowerCase(Locale.ROOT))
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /** Records a problem about one variable: what was given and what would be accepted. */
    public void reject(String name, String given, String accepted, String fallback) {
        problems.add(name + "=\"" + given + "\" is not valid: expected " + accepted
                + (fallback == null ? "" : " (unset it to use the default, " + fallback + ")"));
    }

    /** Records a problem that is not about a single value, such as two settings that contradict each other. */
    public void problem(String sentence) {
        problems.add(sentence);
    }

    /** Throws a {@link ConfigException} listing every problem found, if there is any. */
    public void finish(String service) {
        if (!problems.isEmpty()) throw new ConfigException(service, problems);
    }
}
