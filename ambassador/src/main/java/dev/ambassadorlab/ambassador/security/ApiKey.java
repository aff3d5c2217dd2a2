package dev.ambassadorlab.ambassador.security;

import dev.ambassadorlab.ambassador.config.EnvReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Cat API key, held only by the ambassador. Its {@code toString} never shows the value, so a config dump, a log
 * line or an error message cannot leak it by accident.
 */
public final class ApiKey {
    private static final ApiKey NONE = new ApiKey(null);
    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    public static ApiKey none() {
        return NONE;
    }

    public static ApiKey of(String value) {
        return new ApiKey(value);
    }

    /**
     * Reads {@code CAT_API_KEY}, or {@code CAT_API_KEY_FILE} for a mounted secret. Problems go to the reader without the
     * key itself: an error message must never carry it.
     */
    public static ApiKey fromEnv(EnvReader env) {
        String inline = env.raw("CAT_API_KEY");
        String file = env.raw("CAT_API_KEY_FILE");
        if (inline != null && file != null) {
            env.problem("CAT_API_KEY and CAT_API_KEY_FILE are both set: keep one (the file is meant for a mounted secret)");
            return NONE;
        }
        String key = inline;
        if (file != null) {
            try {
                key = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException unreadable) {
                env.problem("CAT_API_KEY_FILE=\"" + file + "\" cannot be read (" + unreadable.getClass().getSimpleName()
                        + "): mount the secret at that path or unset the variable");
                return NONE;
            }
            if (key.isEmpty()) {
                env.problem("CAT_API_KEY_FILE=\"" + file + "\" is empty: put the key in the file or unset the variable");
                return NONE;
            }
        }
        if (key == null) return NONE;
        if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            env.problem((file == null ? "CAT_API_KEY" : "CAT_API_KEY_FILE")
                    + " holds a key with spaces, line breaks or non-ASCII characters: an HTTP header cannot carry it");
            return NONE;
        }
        return new ApiKey(key);
    }

    public boolean isPresent() {
        return value != null;
    }

    /** True when the text carries the key: an answer that echoes it must not be relayed. */
    public boolean appearsIn(String text) {
        return value != null && text != null && text.contains(value);
    }

    /** The secret itself, for the one place that puts it on the wire. */
    Optional<String> reveal() {
        return Optional.ofNullable(value);
    }

    @Override
    public String toString() {
        return value == null ? "ApiKey[none]" : "ApiKey[set, hidden]";
    }
}
