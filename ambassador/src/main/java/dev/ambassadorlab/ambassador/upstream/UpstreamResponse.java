package dev.ambassadorlab.ambassador.upstream;

import okhttp3.Headers;

/** An upstream's complete answer: the body has been read in full (and within its size cap) before this exists. */
public record UpstreamResponse(int status, Headers headers, byte[] body) {

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
