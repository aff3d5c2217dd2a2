package dev.ambassadorlab.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambassadorlab.edge.RequestIds;
import dev.ambassadorlab.edge.ServerConnections;
import dev.ambassadorlab.edge.ServerThreads;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.router.EndpointNotFound;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the main app: a cat service that reaches The Cat API only through its ambassador on localhost. */
public final class CatApp {
    /** The app's work is short and blocking on localhost: a few dozen threads serve two cores as well as hundreds. */
    private static final int MAX_THREADS = 32;
    /**
     * On a request the app sends again: which time it is (2 for the first retry). The ambassador counts these
     * (ambassador_caller_retries_total), so that the retries of both layers can be seen together.
     */
    static final String RETRY_ATTEMPT = "X-Retry-Attempt";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CatApp() {
    }

    public static Javalin create(AppConfig config) {
        var ambassador = new AmbassadorClient(config.ambassadorUrl(), config.ambassadorTimeout());
        var retries = new AmbassadorRetries(config.retries());
        return Javalin.create(javalin -> {
            int compressFrom = javalin.http.compressionStrategy.getDefaultMinSizeForCompression();
            javalin.startup.showJavalinBanner = false;
            javalin.jetty.threadPool = ServerThreads.pool("app", MAX_THREADS);
            // The same connection limits as the ambassador's listeners: cheap connections, a bounded number of them,
            // and none held by a caller that takes too long over a request's head.
            ServerConnections.limit(javalin.jetty);
            javalin.events.serverStopped(ambassador::close);
            javalin.routes.get("/images/latest", ctx -> relay(ctx, ambassador, retries, config, "/images/latest",
                    compressFrom));
            javalin.routes.get("/breeds", ctx -> relay(ctx, ambassador, retries, config, "/v1/breeds",
                    compressFrom));
            javalin.routes.get("/health", ctx -> ctx.json(Map.of("status", "up")));
            javalin.routes.exception(Exception.class, (bug, ctx) -> ctx.status(500).json(errorBody(
                    "internal_error", "the app failed unexpectedly (" + bug.getClass().getSimpleName() + ")")));
            javalin.routes.exception(EndpointNotFound.class, (notFound, ctx) -> ctx.status(404).json(errorBody(
                    "not_found", "no route for " + ctx.method() + " " + ctx.path()
                            + "; try GET /images/latest, GET /breeds or GET /health")));
        });
    }

    /**
     * Relays the ambassador's answer. One below Javalin's compression threshold (most: one image's JSON is ~150 bytes)
     * goes straight into Jetty's response buffer, which sends it with its length when the request ends; a larger one
     * goes through Javalin's stream, which compresses it for a caller that accepts gzip. (Through that stream, a small
     * answer was only checked against its list of types, for nothing.) Either way it is
     * one write: ctx.result() would copy the answer through another stream and a fresh 8 KB buffer.
     */
    private static void relay(Context ctx, AmbassadorClient ambassador, AmbassadorRetries retries, AppConfig config,
                              String path, int compressFrom) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : AmbassadorClient.FORWARDED) {
            String value = ctx.header(name);
            if (value != null) headers.put(name, value);
        }
        // Checked as the ambassador checks it, so both logs carry the same id: a caller's odd one is replaced here.
        String requestId = RequestIds.keepOrNew(headers.get(RequestIds.HEADER));
        headers.put(RequestIds.HEADER, requestId);
        ctx.header(RequestIds.HEADER, requestId);
        headers.put(DeadlineHeader.NAME, DeadlineHeader.forAmbassador(ctx.header(DeadlineHeader.NAME),
                config.ambassadorTimeout()));
        AmbassadorClient.Answer answer = ambassador.get(path, headers);
        for (int sent = 1; retries.retry(sent, answer.status(), errorOf(answer)); sent++) {
            headers.put(RETRY_ATTEMPT, String.valueOf(sent + 1));
            answer = ambassador.get(path, headers);
        }
        answer.headers().forEach(ctx::header);
        ctx.status(answer.status()).contentType("application/json");
        byte[] json = answer.json();
        if (json.length < compressFrom) {
            ctx.res().getOutputStream().write(json);
        } else {
            ctx.outputStream().write(json);
        }
    }

    /** The {@code "error"} code of an error answer, or null: the retry decision's input. */
    static String errorOf(AmbassadorClient.Answer answer) {
        if (answer.status() < 400) return null;
        try {
            JsonNode error = JSON.readTree(answer.json()).get("error");
            return error != null && error.isTextual() ? error.asText() : null;
        } catch (IOException notJson) {
            return null;
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
