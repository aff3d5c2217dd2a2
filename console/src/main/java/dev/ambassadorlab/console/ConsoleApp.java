package dev.ambassadorlab.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.ambassadorlab.console.faults.AdminApiException;
import dev.ambassadorlab.console.faults.Faults;
import dev.ambassadorlab.console.faults.UnknownFaultException;
import dev.ambassadorlab.console.load.LoadGenerator;
import dev.ambassadorlab.console.load.LoadRequest;
import dev.ambassadorlab.console.state.StateSampler;
import dev.ambassadorlab.console.traces.TraceBuffer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.EndpointNotFound;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the console's web server: the page, its assets, and the small JSON API the page and `./lab fault` use. */
final class ConsoleApp {
    private ConsoleApp() {
    }

    static Javalin create(Faults faults, TraceBuffer traces, StateSampler sampler, LoadGenerator load) {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        return Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.jsonMapper(new JavalinJackson(json, false));
            javalin.staticFiles.add("/console", Location.CLASSPATH);
            javalin.staticFiles.enableWebjars();
            javalin.routes.before(CrossSiteGuard::check);
            javalin.routes.get("/api/faults", ctx -> ctx.json(faults.list()));
            javalin.routes.post("/api/faults/{name}", ctx -> ctx.json(faults.apply(ctx.pathParam("name"))));
            javalin.routes.delete("/api/faults", ctx -> ctx.json(faults.clearAll()));
            javalin.routes.get("/api/load", ctx -> ctx.json(load.status()));
            javalin.routes.post("/api/load", ctx -> ctx.json(load.start(
                    LoadRequest.parse(ctx.queryParam("rate"), ctx.queryParam("seconds")))));
            javalin.routes.get("/api/traces", ctx -> ctx.contentType("application/json")
                    .result("[" + String.join(",", traces.latest(limit(ctx))) + "]"));
            javalin.routes.sse("/api/traces/stream", client -> TraceRelay.relay(traces, client));
            javalin.routes.get("/api/state", ctx -> ctx.json(Map.of("pod", sampler.latest(), "faults", faults.list())));
            javalin.routes.get("/api/history", ctx -> ctx.json(
                    Map.of("points", sampler.history(), "fault_windows", faults.windows())));
            javalin.routes.exception(AdminApiException.class,
                    (failed, ctx) -> error(ctx, failed.status(), "admin_api_failed", failed.getMessage()));
            javalin.routes.exception(CrossSiteGuard.CrossSiteException.class,
                    (refused, ctx) -> error(ctx, 403, "cross_site_refused", refused.getMessage()));
            javalin.routes.exception(UnknownFaultException.class,
                    (unknown, ctx) -> error(ctx, 404, "unknown_fault", unknown.getMessage()));
            javalin.routes.exception(IllegalArgumentException.class,
                    (invalid, ctx) -> error(ctx, 400, "bad_request", invalid.getMessage()));
            javalin.routes.exception(EndpointNotFound.class, (notFound, ctx) -> error(ctx, 404, "not_found",
                    "no route for " + ctx.method() + " " + ctx.path() + "; the page is at /, the API under /api/"));
        });
    }

    private static int limit(Context ctx) {
        String limit = ctx.queryParam("limit");
        if (limit == null) return 50;
        try {
            int parsed = Integer.parseInt(limit);
            if (parsed >= 1 && parsed <= Console.TRACES_KEPT) return parsed;
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("limit=" + limit + " is not valid: choose 1 to " + Console.TRACES_KEPT);
    }

    private static void error(Context ctx, int status, String error, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("reason", reason);
        ctx.status(status).json(body);
    }
}
