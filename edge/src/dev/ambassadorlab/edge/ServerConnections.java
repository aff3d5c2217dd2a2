package dev.ambassadorlab.edge;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.NetworkConnectionLimit;

/**
 * What a connection may cost the server, how many it keeps, and how long it may take to say what it wants: the same
 * for every listener of both services. Connections are the cheapest thing a caller can send. Jetty gives each one a
 * cache of header lines (96 KB once it has read one request), so about 700 connections that each sent one request
 * once filled the ambassador's 64 MB heap; and a thousand that each send a header line now and then are never idle,
 * so they once held every slot until the kubelet's probes failed. The admin port and the app's listen on every
 * interface, so anyone on the network could do either.
 */
public final class ServerConnections {
    /**
     * Per listener. The app keeps at most 64 connections to the proxy and Prometheus a few to the admin port; a load
     * test opens a few hundred. 1,024 of them cost about 4 MB of heap.
     */
    public static final int MAX = 1024;

    private ServerConnections() {
    }

    /**
     * No header cache (a connection then costs about 4 KB of heap; parsing a request without it costs nothing we
     * could measure); at most {@link #MAX} connections, beyond which new ones wait in the system's accept queue; and
     * a {@link ConnectionGuard}, which closes connections that take too long over a request's head and, when the
     * listener is crowded, those that are waiting rather than working, so that the last slots stay free.
     */
    public static void limit(JettyConfig jetty) {
        jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
        jetty.modifyServer(server -> {
            server.addBean(new NetworkConnectionLimit(MAX, server));
            server.addBean(new ConnectionGuard(server));
        });
    }
}
