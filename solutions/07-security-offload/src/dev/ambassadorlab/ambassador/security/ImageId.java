package dev.ambassadorlab.ambassador.security;

import java.util.regex.Pattern;

/**
 * An image id that is safe to use as a file name. The Cat API's ids are short runs of letters, digits, '-' and '_';
 * anything else (dots, slashes, "..", control characters, very long strings) is refused before it reaches the disk.
 */
public record ImageId(String value) {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ImageId {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException("image id " + describe(value)
                    + " is not 1 to 64 letters, digits, '-' or '_', so it cannot become a file name");
        }
    }

    /** Quotes a hostile value for an error message without echoing control characters or megabytes of it. */
    private static String describe(String value) {
        if (value == null) return "(missing)";
        String printable = value.codePoints().limit(40)
                .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return "\"" + printable + (value.length() > 40 ? "…" : "") + "\"";
    }

    @Override
    public String toString() {
        return value;
    }
}
