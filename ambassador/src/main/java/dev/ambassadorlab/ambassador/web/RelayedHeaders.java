package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.security.ApiKey;
import okhttp3.Headers;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Chooses the upstream's answer headers that the pass-through relays to its caller, and checks them all before any is
 * written. Only a short list of names is relayed; each value must be printable ASCII of a bounded length (a 16 KB
 * header would not fit in the server's 8 KB for answer headers, and the answer would end in the server's own error
 * page), and no value, nor all of them together, may carry the API key in any case. An answer that fails a check is
 * not relayed at all: the caller gets a 502 {@code bad_upstream_answer}, and the log gets the detail.
 */
final class RelayedHeaders {
    /** The names relayed (matched in any case), as the caller gets them; Content-Type first (see {@link Chosen}). */
    static final List<String> NAMES = List.of(
            "Content-Type", "Cache-Control", "ETag", "Last-Modified", "Retry-After",
            "Pagination-Count", "Pagination-Page", "Pagination-Limit");
    static final int MAX_VALUE_CHARS = 1024;
    static final int MAX_TOTAL_CHARS = 4096;
    private final ApiKey key;

    RelayedHeaders(ApiKey key) {
        this.key = key;
    }

    /**
     * The headers to relay: at most one of each name (the last the upstream sent).
     *
     * @throws AmbassadorException a 502 when a value is too long, not printable ASCII, or carries the key
     */
    Chosen select(Headers headers) {
        String[] chosen = new String[NAMES.size() * 2];
        int total = 0;
        // One pass over the answer's headers: a lookup per relayed name would scan them all eight times.
        for (int i = 0, count = headers.size(); i < count; i++) {
            int slot = slotOf(headers.name(i));
            if (slot < 0) continue;
            String value = headers.value(i);
            total += value.length();
            if (value.length() > MAX_VALUE_CHARS || total > MAX_TOTAL_CHARS) {
                throw refused("its " + NAMES.get(slot) + " header makes the relayed headers larger than "
                        + MAX_VALUE_CHARS + " characters each or " + MAX_TOTAL_CHARS + " together");
            }
            if (!isPrintableAscii(value)) {
                throw refused("its " + NAMES.get(slot) + " header holds a character outside printable ASCII");
            }
            chosen[2 * slot] = NAMES.get(slot);
            chosen[2 * slot + 1] = value;
        }
        // One look at all the values together finds the key in any one of them, and spread over several in the order
        // they would be relayed.
        StringBuilder all = new StringBuilder(total);
        for (int slot = 0; slot < NAMES.size(); slot++) {
            if (chosen[2 * slot + 1] != null) all.append(chosen[2 * slot + 1]);
        }
        if (key.appearsIn(all.toString())) throw refused(whereTheKeyIs(chosen));
        return new Chosen(chosen);
    }

    /** For the refusal's words: the header that carries the key, or all of them together. */
    private String whereTheKeyIs(String[] chosen) {
        for (int slot = 0; slot < NAMES.size(); slot++) {
            if (key.appearsIn(chosen[2 * slot + 1])) return "its " + NAMES.get(slot) + " header carries the API key";
        }
        return "its headers together carry the API key";
    }

    /** The checked headers, by slot: name, value, name, value..., null where the upstream sent none. */
    record Chosen(String[] namesAndValues) {
        /** The upstream's Content-Type, or null when it sent none (or an empty one). */
        String contentType() {
            String type = namesAndValues[1];
            return type == null || type.isEmpty() ? null : type;
        }

        /** The other headers to relay, each as it is to be set. */
        void forEachOther(BiConsumer<String, String> header) {
            for (int i = 2; i < namesAndValues.length; i += 2) {
                if (namesAndValues[i] != null) header.accept(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
    }

    /**
     * Which relayed name this is, or -1. Most answer headers are not relayed (Date, Server, Content-Length...):
     * equalsIgnoreCase turns them away on their length alone.
     */
    private static int slotOf(String name) {
        for (int slot = 0; slot < NAMES.size(); slot++) {
            if (NAMES.get(slot).equalsIgnoreCase(name)) return slot;
        }
        return -1;
    }

    /** What an HTTP/1.1 header value may hold: visible ASCII, spaces and tabs. */
    private static boolean isPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) return false;
        }
        return true;
    }

    private static AmbassadorException refused(String detail) {
        return new AmbassadorException(ErrorCode.BAD_UPSTREAM_ANSWER, "The Cat API's answer is not relayed: " + detail,
                null, detail);
    }
}
