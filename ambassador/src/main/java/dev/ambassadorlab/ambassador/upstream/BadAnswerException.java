package dev.ambassadorlab.ambassador.upstream;

/**
 * The upstream answered something that is not HTTP the ambassador will use: a status line that does not parse, or a
 * status outside 200-599. Not retried (the next answer would be as broken) and not held against the breaker, like
 * every other unusable answer; the caller gets a 502.
 */
public final class BadAnswerException extends RuntimeException {
    /** @param detail what was wrong, for the log only: it may quote the upstream */
    public BadAnswerException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
