package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import io.javalin.Javalin;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections are the cheapest thing a caller can send, so each listener keeps a bounded number of them, each cheap.
 * Before, about 700 connections that had each sent one request ended the ambassador with OutOfMemoryError.
 */
class ServerConnectionsTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings();

    @Test
    void theProxyPortServesAtMost1024ConnectionsAndTakesTheNextWhenOneCloses() throws IOException {
        assertServesAtMost(ServerConnections.MAX, pod.ambassador().proxyPort(), "/no-such-route");
    }

    @Test
    void theAdminPortServesAtMost1024ConnectionsAndTakesTheNextWhenOneCloses() throws IOException {
        assertServesAtMost(ServerConnections.MAX, pod.ambassador().adminPort(), "/health/live");
    }

    /** Jetty's header cache costs 96 KB a connection once it has read a request; it must be off. */
    @Test
    void aServerWithTheLimitsKeepsNoHeaderCachePerConnection() {
        Javalin server = Javalin.create(javalin -> ServerConnections.limit(javalin.jetty)).start("127.0.0.1", 0);
        try {
            var http = server.jettyServer().server().getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class);
            assertThat(http.getHttpConfiguration().getHeaderCacheSize()).isZero();
        } finally {
            server.stop();
        }
    }

    private static void assertServesAtMost(int max, int port, String path) throws IOException {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < max; i++) {
                Socket connection = request(port, path);
                open.add(connection);
                assertThat(statusLine(connection, 10_000)).as("answer on connection %d", i + 1).startsWith("HTTP/1.1 ");
            }
            Socket oneMore = request(port, path);
            open.add(oneMore);
            // Waiting for something that must not happen: half a second is plenty for an accepted connection here.
            assertThat(statusLine(oneMore, 500)).as("an answer on connection %d while %d are open", max + 1, max).isNull();
            open.remove(0).close();
            assertThat(statusLine(oneMore, 10_000)).as("connection %d once one had closed", max + 1).startsWith("HTTP/1.1 ");
        } finally {
            for (Socket socket : open) socket.close();
        }
    }

    private static Socket request(int port, String path) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** The answer's first line, or null when none came within {@code timeoutMs}. */
    private static String statusLine(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) line.write(b);
        } catch (SocketTimeoutException none) {
            return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
        }
        return line.toString(StandardCharsets.US_ASCII).strip();
    }
}
