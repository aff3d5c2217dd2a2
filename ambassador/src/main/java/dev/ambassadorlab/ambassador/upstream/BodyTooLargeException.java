package dev.ambassadorlab.ambassador.upstream;

/** The upstream's answer is larger than the cap for this request. Not retried: the next answer would be as large. */
public final class BodyTooLargeException extends RuntimeException {
    public BodyTooLargeException(String message) {
        super(message);
    }
}
