package dev.ambassadorlab.ambassador;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.NetworkConnectionLimit;

/**
 * What a connection may cost the server, and how many it keeps. Without these, connections were the cheapest way to
 * end the ambassador: Jetty gives each connection a cache of header lines (96 KB once it has read one request), so
 * about 700 connections that each sent one request filled the 64 MB heap, and the process exited on
 * OutOfMemoryError. The admin port listens on every interface, so anyone on the network could do it.
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
     * could measure), and at most {@link #MAX} connections: beyond that, new ones wait in the system's accept queue
     * until one closes (an idle one closes after Jetty's idle timeout, 30 s).
     */
    public static void limit(JettyConfig jetty) {
        jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
        jetty.modifyServer(server -> server.addBean(new NetworkConnectionLimit(MAX, server)));
    }
}
