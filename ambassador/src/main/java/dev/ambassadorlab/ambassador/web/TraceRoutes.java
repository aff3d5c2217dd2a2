package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.trace.RequestTrace;
import dev.ambassadorlab.ambassador.trace.TraceBuffer;
import dev.ambassadorlab.ambassador.trace.TraceJson;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The admin port's view of the request traces: {@code GET /debug/requests?limit=N}, the latest ones as JSON, newest
 * first; and {@code GET /debug/requests/stream}, each new one as a Server-Sent Event named "trace".
 *
 * <p>The stream is fed by one thread that looks at the {@link TraceBuffer} ten times a second while somebody listens
 * (and sleeps otherwise): a request only writes its trace into the buffer, and never waits for a slow listener. A
 * listener that falls more than the buffer's size behind misses the traces in between.
 */
public final class TraceRoutes {
    /** Listeners at once: the console and a few curls; each costs a connection and the stream's work. */
    static final int MAX_LISTENERS = 8;
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * A comment line when no trace went out for this long: it keeps a quiet stream from reaching the server's idle
     * timeout (30 s), and shows up a listener that has gone.
     */
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private final TraceBuffer traces;
    private final Set<SseClient> listeners = ConcurrentHashMap.newKeySet();
    /** Places taken on the stream, at most {@link #MAX_LISTENERS}: its listeners, and those joining right now. */
    private final AtomicInteger places = new AtomicInteger();
    private final SseHandler stream = new SseHandler(this::listen);
    private Thread publisher;
    /** Set when the admin server stops: the stream takes no listener and its thread ends. */
    private volatile boolean closed;

    public TraceRoutes(TraceBuffer traces) {
        this.traces = traces;
    }

    /**
     * Adds both routes to a server, and closes the stream when it stops: a listener must be closed while its request
     * lives, as Javalin ends a closed stream's request, and ending one that a stopped server has recycled sent Javalin
     * round its error handlers without end, a core busy for as long as the process ran.
     */
    public void addTo(JavalinConfig javalin) {
        javalin.routes.get("/debug/requests", this::latest);
        javalin.routes.get("/debug/requests/stream", this::stream);
        javalin.events.serverStopping(this::close);
    }

    /** Closes every listener's stream and ends the thread that feeds them. */
    void close() {
        closed = true;
        listeners.forEach(SseClient::close);
        listeners.clear();
        Thread feeding;
        synchronized (this) {
            feeding = publisher;
        }
        if (feeding != null) LockSupport.unpark(feeding);
    }

    /** True while the thread that feeds the stream runs. */
    synchronized boolean publishing() {
        return publisher != null && publisher.isAlive();
    }

    /** GET /debug/requests?limit=N: N from 1 to the buffer's size, 50 when not given. */
    private void latest(Context ctx) {
        refuseWhenOff();
        int limit = limit(ctx.queryParam("limit"));
        ctx.contentType("application/json").result(TraceJson.of(traces.latest(limit)));
    }

    /** GET /debug/requests/stream: the traces of requests that finish from now on. */
    private void stream(Context ctx) throws Exception {
        refuseWhenOff();
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new AmbassadorException(ErrorCode.NOT_ACCEPTABLE, "this route is a stream of Server-Sent Events: "
                    + "ask with the header Accept: text/event-stream (curl -N -H 'Accept: text/event-stream' ...)");
        }
        // A place is taken before the stream opens and given back when it closes: counting the listeners instead let
        // in all that came in the moment between the count and the first one's joining.
        if (places.incrementAndGet() > MAX_LISTENERS) {
            places.decrementAndGet();
            throw new AmbassadorException(ErrorCode.OVERLOADED, "the trace stream already has " + MAX_LISTENERS
                    + " listeners; close one, or read GET /debug/requests instead", Duration.ofSeconds(5));
        }
        boolean listening = false;
        try {
            stream.handle(ctx);
            listening = true;
        } finally {
            if (!listening) places.decrementAndGet();
        }
    }

    private void listen(SseClient client) {
        client.keepAlive();
        // Javalin runs it once, however the stream ends (the listener left, or a send to it failed).
        client.onClose(() -> {
            listeners.remove(client);
            places.decrementAndGet();
        });
        // A comment first, so the listener sees at once that it is connected, before any request finishes.
        client.sendComment("traces of the requests that finish from now on");
        listeners.add(client);
        if (closed) {
            client.close(); // the server began to stop while this listener joined
            return;
        }
        LockSupport.unpark(publisher());
    }

    /** The thread that feeds the stream, started by its first listener: an ambassador nobody watches has none. */
    private synchronized Thread publisher() {
        if (publisher == null) {
            publisher = new Thread(this::publish, "trace-stream");
            publisher.setDaemon(true);
            publisher.start();
        }
        return publisher;
    }

    private void publish() {
        long next = traces.added();
        long lastSent = System.nanoTime();
        while (!closed) {
            if (listeners.isEmpty()) {
                LockSupport.park(this);
                next = traces.added();
                continue;
            }
            LockSupport.parkNanos(this, POLL.toNanos());
            TraceBuffer.Batch batch = traces.after(next);
            for (RequestTrace trace : batch.traces()) {
                String json = TraceJson.of(trace);
                sendToEach(client -> client.sendEvent("trace", json));
                lastSent = System.nanoTime();
            }
            next = batch.next();
            if (System.nanoTime() - lastSent > HEARTBEAT.toNanos()) {
                sendToEach(client -> client.sendComment("still here"));
                lastSent = System.nanoTime();
            }
        }
    }

    /** Sends to every listener; one that is gone, or fails, is dropped, and the others still get theirs. */
    private void sendToEach(Consumer<SseClient> send) {
        for (SseClient client : listeners) {
            try {
                if (!client.terminated()) send.accept(client);
            } catch (RuntimeException failed) {
                client.close();
            }
            if (client.terminated()) listeners.remove(client);
        }
    }

    private void refuseWhenOff() {
        if (traces.size() == 0) {
            throw new AmbassadorException(ErrorCode.NOT_FOUND, "request traces are off (TRACE_BUFFER_SIZE=0); set "
                    + "TRACE_BUFFER_SIZE to keep the latest ones");
        }
    }

    private int limit(String given) {
        if (given == null) return Math.min(50, traces.size());
        int limit;
        try {
            limit = Integer.parseInt(given);
        } catch (NumberFormatException notANumber) {
            limit = 0;
        }
        if (limit < 1 || limit > traces.size()) {
            throw new AmbassadorException(ErrorCode.BAD_PARAMETER, "limit must be a whole number from 1 to "
                    + traces.size() + " (TRACE_BUFFER_SIZE)");
        }
        return limit;
    }
}
