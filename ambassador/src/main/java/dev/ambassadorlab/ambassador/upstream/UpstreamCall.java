package dev.ambassadorlab.ambassador.upstream;

import java.util.Locale;

/**
 * Which of the ambassador's upstream calls a request is. Answers to callers name the call in these words, never the
 * upstream's host and port: those are the pod's internals, and the app passes the ambassador's errors on to its own
 * callers.
 */
public enum UpstreamCall {
    SEARCH("The Cat API's search"),
    IMAGE("the image download"),
    PASSTHROUGH("The Cat API");

    private final String words;

    UpstreamCall(String words) {
        this.words = words;
    }

    /** The call as a sentence names it, such as "the image download". */
    public String words() {
        return words;
    }

    /** The call as a short lower-case token, such as "image", for logs and labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
