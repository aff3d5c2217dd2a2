package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.trace.TraceBuffer;
import io.javalin.Javalin;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that stops while somebody listens to the trace stream. Before the stream was closed as the server began to
 * stop, the next heartbeat ended a request the stopped server had recycled, and Javalin went round its error handlers
 * without end: a core busy, and a log growing by megabytes a second, for as long as the process ran.
 */
class TraceStreamStopTest {
    @Test
    void aServerThatStopsClosesItsListenersFirstAndEndsTheThreadThatFeedsThem() throws Exception {
        TraceRoutes routes = new TraceRoutes(new TraceBuffer(5));
        Javalin server = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            routes.addTo(javalin);
        }).start("127.0.0.1", 0);
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
        try (Response stream = client.newCall(new Request.Builder()
                .url("http://127.0.0.1:" + server.port() + "/debug/requests/stream")
                .header("Accept", "text/event-stream").build()).execute()) {
            BufferedSource events = stream.body().source();
            assertThat(events.readUtf8LineStrict()).as("the greeting").startsWith(":");
            await("the stream's thread, with a listener").atMost(Duration.ofSeconds(10)).until(routes::publishing);

            server.stop();

            assertThat(events.exhausted()).as("the stream ended, not cut").isTrue();
            await("the stream's thread to end").atMost(Duration.ofSeconds(10)).until(() -> !routes.publishing());
        } finally {
            server.stop();
        }
    }
}
