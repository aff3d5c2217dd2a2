package dev.ambassadorlab.app;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.router.EndpointNotFound;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Builds the main app: a cat service that reaches The Cat API only through its ambassador on localhost. */
public final class CatApp {
    static final int MAX_CONNECTIONS = 1024;

    private CatApp() {
    }

    public static Javalin create(AppConfig config) {
        var ambassador = new AmbassadorClient(config.ambassadorUrl(), config.ambassadorTimeout());
        return Javalin.create(javalin -> {
            int compressFrom = javalin.http.compressionStrategy.getDefaultMinSizeForCompression();
            javalin.startup.showJavalinBanner = false;
            javalin.jetty.threadPool = threadPool();
            // Jetty gives each connection a 96 KB cache of header lines: a few hundred callers would fill the app's
            // 48 MB heap and end it. Without the cache a connection costs about 4 KB; beyond the limit, new ones
            // wait in the system's accept queue until one closes.
            javalin.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            javalin.jetty.modifyServer(server -> server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server)));
            javalin.events.serverStopped(ambassador::close);
            javalin.routes.get("/images/latest", ctx -> relay(ctx, ambassador, "/images/latest", compressFrom));
            javalin.routes.get("/breeds", ctx -> relay(ctx, ambassador, "/v1/breeds", compressFrom));
            javalin.routes.get("/health", ctx -> ctx.json(Map.of("status", "up")));
            javalin.routes.exception(Exception.class, (bug, ctx) -> ctx.status(500).json(errorBody(
                    "internal_error", "the app failed unexpectedly (" + bug.getClass().getSimpleName() + ")")));
            javalin.routes.exception(EndpointNotFound.class, (notFound, ctx) -> ctx.status(404).json(errorBody(
                    "not_found", "no route for " + ctx.method() + " " + ctx.path()
                            + "; try GET /images/latest, GET /breeds or GET /health")));
        });
    }

    /**
     * A bounded pool: the app's work is short and blocking on localhost, so a few dozen threads serve two cores as
     * well as hundreds, with less switching and memory. Idle threads above four end after 20 s, all of them.
     */
    private static QueuedThreadPool threadPool() {
        var pool = new QueuedThreadPool(32, 4, 20_000);
        pool.setName("app");
        pool.setMaxEvictCount(32);
        return pool;
    }

    /** A request id only has to be unique: UUID.randomUUID() would make every request queue for one SecureRandom. */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong() & ~0xf000L | 0x4000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString();
    }

    /**
     * Relays the ambassador's answer. One below Javalin's compression threshold (most: one image's JSON is ~150 bytes)
     * goes straight into Jetty's response buffer, which sends it with its length when the request ends; a larger one
     * goes through Javalin's stream, which compresses it for a caller that accepts gzip. (Through that stream, a small
     * answer was only checked against its list of types, for nothing: 3% of the app's samples.) Either way it is
     * one write: ctx.result() would copy the answer through another stream and a fresh 8 KB buffer.
     */
    private static void relay(Context ctx, AmbassadorClient ambassador, String path, int compressFrom)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : AmbassadorClient.FORWARDED) {
            String value = ctx.header(name);
            if (value != null) headers.put(name, value);
        }
        headers.computeIfAbsent("X-Request-Id", any -> newRequestId());
        ctx.header("X-Request-Id", headers.get("X-Request-Id"));
        AmbassadorClient.Answer answer = ambassador.get(path, headers);
        answer.headers().forEach(ctx::header);
        ctx.status(answer.status()).contentType("application/json");
        byte[] json = answer.json();
        if (json.length < compressFrom) {
            ctx.res().getOutputStream().write(json);
        } else {
            ctx.outputStream().write(json);
        }
    }

    /** An error answer with its fields always in the same order ("error", then "reason"); Map.of's order varies by run. */
    private static Map<String, String> errorBody(String error, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("reason", reason);
        return body;
    }
}
