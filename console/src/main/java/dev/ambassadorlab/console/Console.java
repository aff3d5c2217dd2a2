package dev.ambassadorlab.console;

import dev.ambassadorlab.console.faults.Faults;
import dev.ambassadorlab.console.faults.Toxiproxy;
import dev.ambassadorlab.console.faults.WireMockMock;
import dev.ambassadorlab.console.load.LoadGenerator;
import dev.ambassadorlab.console.state.StateSampler;
import dev.ambassadorlab.console.traces.TraceBuffer;
import dev.ambassadorlab.console.traces.TraceFeed;
import io.javalin.Javalin;
import okhttp3.OkHttpClient;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/** The running console: its web server and what feeds it (the trace stream, the metrics sampler, the load). */
public final class Console implements AutoCloseable {
    /** As many traces as the ambassador keeps by default. */
    static final int TRACES_KEPT = 200;
    private final Javalin server;
    private final TraceFeed feed;
    private final StateSampler sampler;
    private final LoadGenerator load;

    private Console(Javalin server, TraceFeed feed, StateSampler sampler, LoadGenerator load) {
        this.server = server;
        this.feed = feed;
        this.sampler = sampler;
        this.load = load;
    }

    /** Starts the console; traces are printed as text to out. */
    public static Console start(ConsoleSettings settings, PrintStream out) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(15))
                .callTimeout(Duration.ofSeconds(20)).retryOnConnectionFailure(false).build();
        var faults = new Faults(new Toxiproxy(settings.toxiproxyUrl(), settings.toxiproxyProxy(), http),
                new WireMockMock(settings.wiremockUrl(), http), Clock.systemUTC());
        var traces = new TraceBuffer(TRACES_KEPT);
        var feed = new TraceFeed(settings.ambassadorAdminUrl(), http, traces, out);
        var sampler = new StateSampler(settings.ambassadorAdminUrl(), http, System::currentTimeMillis);
        var load = new LoadGenerator(settings.appUrl(), http);
        Javalin server = ConsoleApp.create(faults, traces, sampler, load);
        server.start(settings.bind(), settings.port());
        feed.start();
        sampler.start();
        return new Console(server, feed, sampler, load);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        load.close();
        feed.close();
        sampler.close();
        server.stop();
    }
}
