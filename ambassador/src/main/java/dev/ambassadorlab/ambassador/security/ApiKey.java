package dev.ambassadorlab.ambassador.security;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Cat API key, held only by the ambassador. Its {@code toString} never shows the value, so a config dump, a log
 * line or an error message cannot leak it by accident.
 */
public final class ApiKey {
    private static final ApiKey NONE = new ApiKey(null);
    /** What a masked piece of the key reads as in the log. */
    static final String MASK = "[api-key]";
    /** The shortest piece of a long key that counts as the key showing. */
    private static final int SHORTEST_PIECE = 8;
    private final String value;
    /**
     * Every piece of the key, in lower case, that counts as the key showing: each run of half its length (a key split
     * in two shows one half at least), or the whole key when it is short.
     */
    private final List<String> pieces;

    private ApiKey(String value) {
        this.value = value;
        this.pieces = value == null ? List.of() : piecesOf(lowerAscii(value));
    }

    private static List<String> piecesOf(String key) {
        int length = Math.min(key.length(), Math.max(SHORTEST_PIECE, (key.length() + 1) / 2));
        Set<String> pieces = new LinkedHashSet<>();
        for (int start = 0; start + length <= key.length(); start++) pieces.add(key.substring(start, start + length));
        return List.copyOf(pieces);
    }

    public static ApiKey none() {
        return NONE;
    }

    public static ApiKey of(String value) {
        return new ApiKey(value);
    }

    public boolean isPresent() {
        return value != null;
    }

    /**
     * True when the text carries the key, or half of it, in any case: an answer that echoes it must not be relayed.
     * Half, because an upstream that echoes the key in two headers shows at least half of it in one of them.
     */
    public boolean appearsIn(String text) {
        if (text == null) return false;
        String lower = null; // made only when there is a key to look for
        for (String piece : pieces) {
            if (lower == null) lower = lowerAscii(text);
            if (lower.contains(piece)) return true;
        }
        return false;
    }

    /** The text with every piece of the key that {@link #appearsIn} would find replaced by {@value #MASK}: for the log. */
    public String masked(String text) {
        if (text == null) return null;
        String lower = lowerAscii(text);
        boolean[] secret = new boolean[text.length()];
        for (String piece : pieces) {
            for (int at = lower.indexOf(piece); at >= 0; at = lower.indexOf(piece, at + 1)) {
                Arrays.fill(secret, at, at + piece.length(), true);
            }
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!secret[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !secret[i - 1]) {
                out.append(MASK);
            }
        }
        return out.toString();
    }

    /** Lower case for ASCII letters only, so that every character keeps its place (the key is ASCII). */
    private static String lowerAscii(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') chars[i] = (char) (chars[i] + ('a' - 'A'));
        }
        return new String(chars);
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
