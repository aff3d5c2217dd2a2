package dev.ambassadorlab.ambassador.upstream;

import okhttp3.Headers;

/**
 * An upstream's complete answer: the body has been read in full (and within its size cap) before this exists. A
 * download's body went to its {@link BodySink}; then {@code body} holds only its first bytes, for a type check.
 *
 * @param size the body's length in bytes, wherever it went
 */
public record UpstreamResponse(int status, Headers headers, byte[] body, long size) {

    public UpstreamResponse(int status, Headers headers, byte[] body) {
        this(status, headers, body, body.length);
    }

    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String contentType() {
        String type = headers.get("Content-Type");
        return type == null ? "" : type;
    }
}
