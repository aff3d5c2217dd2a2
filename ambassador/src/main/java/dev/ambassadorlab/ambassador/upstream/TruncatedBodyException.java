package dev.ambassadorlab.ambassador.upstream;

import java.io.IOException;

/**
 * The upstream sent headers, then the connection ended before the body was complete. It is an I/O failure, so it is
 * retried; if every attempt ends this way the caller gets a 502 (a broken answer), never a partial file.
 */
public final class TruncatedBodyException extends IOException {
    public TruncatedBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
