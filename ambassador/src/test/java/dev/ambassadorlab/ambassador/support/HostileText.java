package dev.ambassadorlab.ambassador.support;

import org.quicktheories.core.Gen;

import java.util.List;

import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Generators for the property tests: hostile text made of pieces that parsers are known to read differently
 * (separators, encodings, user info, odd ports), joined at random with arbitrary characters between them.
 */
public final class HostileText {
    private HostileText() {
    }

    /** Between {@code min} and {@code max} parts, each one of the pieces or up to three arbitrary characters. */
    public static Gen<String> joined(int min, int max, List<String> pieces) {
        return lists().of(oneOf(pick(pieces), pick(pieces), strings().allPossible().ofLengthBetween(0, 3)))
                .ofSizeBetween(min, max).map(parts -> String.join("", parts));
    }

    /** Printable ASCII of the given lengths, the characters of keys, ids and most header values. */
    public static Gen<String> printable(int min, int max) {
        return strings().ascii().ofLengthBetween(min, max).map(text -> text.replaceAll("[^\\x20-\\x7e]", "a"));
    }
}
