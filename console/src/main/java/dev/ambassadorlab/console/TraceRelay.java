package dev.ambassadorlab.console;

import dev.ambassadorlab.console.traces.TraceBuffer;
import io.javalin.http.sse.SseClient;

import java.util.function.Consumer;

/** Relays traces to one browser over Server-Sent Events: the ones kept so far, oldest first, then each new one. */
final class TraceRelay {
    private TraceRelay() {
    }

    static void relay(TraceBuffer traces, SseClient client) {
        client.keepAlive();
        Consumer<String> send = new Consumer<>() {
            @Override
            public void accept(String trace) {
                synchronized (client) {
                    if (client.terminated()) {
                        traces.unwatch(this);
                    } else {
                        client.sendEvent("trace", trace);
                    }
                }
            }
        };
        client.onClose(() -> traces.unwatch(send));
        traces.watch(send).forEach(send);
    }
}
