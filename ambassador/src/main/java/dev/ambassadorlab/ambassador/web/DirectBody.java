package dev.ambassadorlab.ambassador.web;

import io.javalin.http.ContentType;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a body the ambassador already holds in full straight to Jetty's response. {@code ctx.result()} and
 * {@code ctx.json()} leave the body to Javalin, which copies it after the handler through a stream, a fresh 8 KB
 * buffer and its compression wrapper: a few percent of {@code /images/latest}'s work. The proxy port compresses
 * nothing ({@link dev.ambassadorlab.ambassador.NoCompression}), so that wrapper has nothing to add.
 */
public final class DirectBody {
    private DirectBody() {
    }

    /** Sends the body now, in one write with its length: a relayed answer may be large. */
    public static void send(Context ctx, byte[] body) throws IOException {
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
    }

    /**
     * The value as JSON, from Javalin's own mapper and with its content type: what {@code ctx.json()} would send. Up
     * to Jetty's output aggregation size (8 KB; an image's answer is ~150 bytes) the bytes wait in its response buffer
     * and go out, with their length, when the request ends: after the request log and the metrics have counted it, so
     * whoever reads them once the answer arrived finds it there.
     */
    public static void sendJson(Context ctx, Object value) throws IOException {
        ctx.contentType(ContentType.APPLICATION_JSON);
        ctx.res().getOutputStream().write(ctx.jsonMapper().toJsonString(value, value.getClass())
                .getBytes(StandardCharsets.UTF_8));
    }
}
