package dev.ambassadorlab.bench;

import dev.ambassadorlab.ambassador.NoCompression;
import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import dev.ambassadorlab.ambassador.upstream.UpstreamClients;
import dev.ambassadorlab.edge.ServerConnections;
import dev.ambassadorlab.edge.ServerThreads;
import io.javalin.Javalin;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The bench's ceiling for the ambassador's own stack: Javalin and OkHttp with the ambassador's settings for both, one
 * route that relays every GET to the upstream, and nothing else (no policies, no checks, no metrics, no log). What
 * the ambassador's pass-through costs beyond this is what its behaviours cost. In front of the ambassador, it is the
 * cheapest relay this stack can make: the floor for the app's hop.
 *
 * <p>Usage: {@code java -jar bare-proxy.jar UPSTREAM_URL PORT}
 */
public final class BareProxy {
    private BareProxy() {
    }

    public static void main(String[] args) {
        String upstream = args[0];
        int port = Integer.parseInt(args[1]);
        AmbassadorConfig defaults = AmbassadorConfig.defaults();
        OkHttpClient client = UpstreamClients.baseBuilder(defaults).build();
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.threadPool = ServerThreads.pool("bare-proxy", defaults.serverMaxThreads());
            ServerConnections.limit(config.jetty);
            config.http.compressionStrategy = NoCompression.strategy();
            config.routes.get("/*", ctx -> {
                String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
                try (Response response = client.newCall(new Request.Builder().url(upstream + ctx.path() + query).build())
                        .execute()) {
                    ResponseBody body = response.body();
                    ctx.status(response.code());
                    String type = response.header("Content-Type");
                    if (type != null) ctx.contentType(type);
                    ctx.result(body.bytes());
                }
            });
        }).start("127.0.0.1", port);
    }
}
