package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.edge.ServerConnections;
import io.javalin.Javalin;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections are the cheapest thing a caller can send, so each listener keeps a bounded number of them, each cheap,
 * and none may hold its slot by sending a request slowly: a thousand callers that each send a header line now and then
 * must not keep the kubelet's probes out. (Before, about 700 connections that had each sent one request ended the
 * ambassador with OutOfMemoryError, and 1,000 trickling ones made /health/live miss every probe while they lasted.)
 */
class ServerConnectionsTest {
    /** The guard's limit on a request head (5 s), with room for a loaded machine. */
    private static final Duration HEAD_CUT_WITHIN = Duration.ofSeconds(9);
    /** Probes while the trickle runs: at least this many, one a round (500 ms), and at most this many. */
    private static final int MIN_PROBES = 6;
    private static final int MAX_PROBES = 120;
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings();

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // a slow machine makes the trickle's rounds slow, not the probes
    void aTrickleOf1024ConnectionsOnTheAdminPortLeavesLivenessAnsweringWithinASecondThroughout() throws Exception {
        int port = pod.ambassador().adminPort();
        try (var trickle = new Trickle(port, ServerConnections.MAX)) {
            trickle.start();
            List<Duration> probes = new ArrayList<>();
            // Until the server has cut heads that took too long and the trickle has opened new connections in their
            // place: the listener was full of trickling connections the whole time.
            while (probes.size() < MIN_PROBES || trickle.opened() <= ServerConnections.MAX) {
                assertThat(probes).as("probes before the server cut a trickling connection").hasSizeLessThan(MAX_PROBES);
                long start = System.nanoTime();
                try (Socket probe = request(port, "/health/live")) {
                    String status = statusLine(probe, 1_000);
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(status).as("probe %d after %d ms, with %d trickling connections opened so far",
                            probes.size() + 1, took.toMillis(), trickle.opened()).isEqualTo("HTTP/1.1 200 OK");
                    probes.add(took);
                }
                trickle.awaitRound(); // the next probe after the trickle's next round of header lines
            }
            assertThat(probes).as("how long each probe took").allSatisfy(took -> assertThat(took)
                    .isLessThan(Duration.ofSeconds(1)));
        }
    }

    @ParameterizedTest(name = "a head sent as {0}")
    @ValueSource(strings = {"header lines", "blank lines before the request line"})
    void aRequestHeadThatTakesLongerThanTheLimitIsCut(String how) throws Exception {
        int port = pod.ambassador().proxyPort();
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), port)) {
            boolean lines = how.equals("header lines");
            send(slow, lines ? "GET /v1/breeds HTTP/1.1\r\nHost: x\r\n" : "\r\n");
            long start = System.nanoTime();
            slow.setSoTimeout(200);
            // A byte every 200 ms: never idle for Jetty's 30 s idle timeout, and never done.
            boolean closed = false;
            while (!closed && System.nanoTime() - start < HEAD_CUT_WITHIN.toNanos()) {
                closed = readsEnd(slow) || !sendQuietly(slow, lines ? "X-Slow: 1\r\n" : "\r\n");
            }
            assertThat(closed).as("the connection closed by the ambassador within %d s", HEAD_CUT_WITHIN.toSeconds())
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the limit of 5 s")
                    .isGreaterThan(Duration.ofMillis(4_500));
        }
    }

    @Test
    void aCrowdedListenerClosesTheLongestWaitingConnectionsButNotOneAtWork() throws Exception {
        int port = pod.ambassador().proxyPort();
        List<Socket> idle = new ArrayList<>();
        try (Socket atWork = new Socket(InetAddress.getLoopbackAddress(), port)) {
            // A request whose body is still coming: the ambassador is at work on it, until its deadline (6 s).
            send(atWork, "POST /v1/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 10\r\n\r\n{");
            for (int i = 0; i < ServerConnections.MAX; i++) {
                Socket connection = request(port, "/no-such-route");
                idle.add(connection);
                assertThat(statusLine(connection, 10_000)).as("answer on connection %d", i + 1).startsWith("HTTP/1.1 ");
            }
            Socket oneMore = request(port, "/no-such-route");
            idle.add(oneMore);

            assertThat(statusLine(oneMore, 10_000)).as("a connection beyond %d waiting ones", ServerConnections.MAX)
                    .startsWith("HTTP/1.1 404");
            assertThat(readsEnd(idle.get(0))).as("the first, longest-waiting connection: closed").isTrue();
            assertThat(statusLine(atWork, 10_000)).as("the connection at work: answered, not closed")
                    .startsWith("HTTP/1.1 408");
        } finally {
            for (Socket socket : idle) socket.close();
        }
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

    /**
     * Connections that each start a request and then send one more header line a round (every 500 ms), never
     * finishing: the trickle. One the server closes is opened again at the next round.
     */
    private static final class Trickle implements AutoCloseable {
        private final int port;
        private final Socket[] connections;
        private final AtomicInteger opened = new AtomicInteger();
        private final AtomicInteger rounds = new AtomicInteger();
        private final ScheduledExecutorService rounder = Executors.newSingleThreadScheduledExecutor();

        Trickle(int port, int size) {
            this.port = port;
            this.connections = new Socket[size];
        }

        void start() {
            for (int i = 0; i < connections.length; i++) connections[i] = open();
            rounder.scheduleWithFixedDelay(this::round, 500, 500, TimeUnit.MILLISECONDS);
        }

        int opened() {
            return opened.get();
        }

        /** Returns once the trickle has sent its next round. */
        void awaitRound() {
            int now = rounds.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> rounds.get() > now);
        }

        private void round() {
            boolean queueFull = false;
            for (int i = 0; i < connections.length; i++) {
                Socket connection = connections[i];
                if (connection != null && sendQuietly(connection, "X-Trickle: " + i + "\r\n")) continue;
                closeQuietly(connection);
                connections[i] = queueFull ? null : open();
                queueFull = connections[i] == null;
            }
            rounds.incrementAndGet();
        }

        /**
         * A new connection that has begun a request, or null when none could be made within a second: the listener
         * and the system's accept queue are full; the next round tries again.
         */
        private Socket open() {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            } catch (IOException full) {
                closeQuietly(socket);
                return null;
            }
            opened.incrementAndGet();
            sendQuietly(socket, "GET /health/live HTTP/1.1\r\nHost: x\r\n");
            return socket;
        }

        @Override
        public void close() throws Exception {
            rounder.shutdownNow();
            rounder.awaitTermination(5, TimeUnit.SECONDS);
            for (Socket socket : connections) closeQuietly(socket);
        }
    }

    private static Socket request(int port, String path) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        send(socket, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // nothing to give back
        }
    }

    /** False when the connection is closed or reset. */
    private static boolean sendQuietly(Socket socket, String text) {
        try {
            send(socket, text);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /**
     * True when the other side has closed the connection: what it sent before is read and dropped, then the end comes
     * (or a reset). False when nothing comes for 200 ms.
     */
    private static boolean readsEnd(Socket socket) throws IOException {
        socket.setSoTimeout(200);
        byte[] drop = new byte[4096];
        try {
            while (true) {
                if (socket.getInputStream().read(drop) == -1) return true;
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
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
