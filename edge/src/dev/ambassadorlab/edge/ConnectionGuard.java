package dev.ambassadorlab.edge;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
// Jetty's HTTP/1.1 connection: the one place that knows how far a request's head has come.
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps connections that bring no request from holding the server's connection slots. Jetty's idle timeout starts
 * again with every byte, so a client that sends one header line every few seconds is never idle, and a thousand of
 * them would take every slot a listener has: the kubelet's probes would wait in the accept queue, fail, and the pod
 * would be restarted over and over. Two rules close that door:
 * <ul>
 *   <li>a request's head (request line and headers, or any bytes that lead up to them) must arrive whole within
 *   {@link #HEAD_TIME_LIMIT_MS} of its first byte, however it is spread out;</li>
 *   <li>above {@link #CROWDED} connections, those that are not at work on a request (idle between requests, or still
 *   sending a head) are closed, longest-waiting first, so a new connection, a probe's among them, always finds a slot.
 *   A connection whose request is being read or answered is never closed here.</li>
 * </ul>
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
    /** A head arrives in one packet from any client in a cluster; five seconds leaves room for a slow link. */
    static final long HEAD_TIME_LIMIT_MS = 5_000;
    /** Three quarters of the hard limit: the last quarter stays free for whoever comes next. */
    static final int CROWDED = ServerConnections.MAX * 3 / 4;
    private static final long SWEEP_EVERY_MS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private final Server server;
    private final Map<HttpConnection, Watch> watched = new ConcurrentHashMap<>();
    private volatile Scheduler.Task nextSweep;

    ConnectionGuard(Server server) {
        this.server = server;
    }

    @Override
    protected void doStart() {
        for (Connector connector : server.getConnectors()) connector.addBean(this);
        scheduleSweep();
    }

    @Override
    protected void doStop() {
        Scheduler.Task sweep = nextSweep;
        if (sweep != null) sweep.cancel();
        for (Connector connector : server.getConnectors()) connector.removeBean(this);
        watched.clear();
    }

    /** Runs on the thread that accepted the connection: when crowded it closes one waiting connection, no more. */
    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof HttpConnection http)) return;
        watched.put(http, new Watch(System.nanoTime()));
        if (watched.size() > CROWDED) closeLongestWaitingBut(http);
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    /** How many connections the guard is watching: every open one. */
    int watching() {
        return watched.size();
    }

    private void scheduleSweep() {
        if (!isRunning() && !isStarting()) return;
        nextSweep = server.getScheduler().schedule(() -> {
            try {
                sweep();
            } finally {
                scheduleSweep();
            }
        }, SWEEP_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Closes each connection whose head has taken too long, then, when crowded, the longest-waiting others. */
    synchronized void sweep() {
        long now = System.nanoTime();
        List<Map.Entry<HttpConnection, Watch>> waiting = new ArrayList<>();
        int tooSlow = 0;
        for (Map.Entry<HttpConnection, Watch> entry : watched.entrySet()) {
            HttpConnection http = entry.getKey();
            Watch watch = entry.getValue();
            if (!watch.update(http, now)) continue;
            if (watch.headTooLong(now)) {
                close(http);
                tooSlow++;
            } else {
                waiting.add(entry);
            }
        }
        int evicted = 0;
        if (watched.size() > CROWDED) {
            waiting.sort(Comparator.comparingLong(entry -> entry.getValue().waitingSince));
            for (int i = 0; watched.size() > CROWDED && i < waiting.size(); i++, evicted++) {
                close(waiting.get(i).getKey());
            }
        }
        if (tooSlow > 0 || evicted > 0) {
            LOG.warn("Closed {} connection(s) whose request head took over {} ms, and {} waiting one(s) of {} open "
                    + "(more than {})", tooSlow, HEAD_TIME_LIMIT_MS, evicted, watched.size(), CROWDED);
        }
    }

    /** Closes the connection that has waited longest, other than the newcomer (when all others work, none). */
    private synchronized void closeLongestWaitingBut(HttpConnection newcomer) {
        long now = System.nanoTime();
        HttpConnection longest = null;
        long since = Long.MAX_VALUE;
        for (Map.Entry<HttpConnection, Watch> entry : watched.entrySet()) {
            Watch watch = entry.getValue();
            if (entry.getKey() != newcomer && watch.update(entry.getKey(), now) && watch.waitingSince < since) {
                longest = entry.getKey();
                since = watch.waitingSince;
            }
        }
        if (longest != null) close(longest);
    }

    private void close(HttpConnection http) {
        watched.remove(http);
        http.getEndPoint().close();
    }

    /** What the guard knows of one connection; read and changed only under the guard's lock. */
    private static final class Watch {
        /** Heads the connection had completed when it was last seen waiting; -1 while it was at work. */
        private long heads;
        /** Bytes it had sent by then: more bytes with no new head means a head is on its way. */
        private long bytesThen;
        /** Since when it has been waiting (between requests, or sending a head). */
        private long waitingSince;
        /** Since when a head has been arriving, or 0. */
        private long headSince;

        Watch(long openedAt) {
            this.waitingSince = openedAt; // a new connection has completed no head and sent nothing yet
        }

        /** Updates what is known; true when the connection is waiting for a request, false when it is at work on one. */
        boolean update(HttpConnection http, long now) {
            HttpParser parser = http.getParser();
            // START is the state between requests; the states before CONTENT read a head. Later ones read a body, or
            // the request is complete and being answered.
            if (!parser.inHeaderState()) {
                heads = -1;
                return false;
            }
            long headsNow = http.getMessagesIn();
            long bytesNow = http.getBytesIn();
            if (headsNow != heads) {
                // Back from work, or a whole request came and went since the last look: it has waited since its last
                // byte in or out. (Counted from this look instead, every connection that finished between two looks
                // would tie, and which of them is closed first would be the map's order, not the oldest.)
                waitingSince = now - idleNanos(http);
                heads = headsNow;
                bytesThen = bytesNow;
                headSince = parser.isStart() ? 0 : now;
            } else if (headSince == 0 && (bytesNow != bytesThen || !parser.isStart())) {
                headSince = now;
            }
            return true;
        }

        private static long idleNanos(HttpConnection http) {
            return http.getEndPoint() instanceof IdleTimeout idle ? TimeUnit.MILLISECONDS.toNanos(idle.getIdleFor()) : 0;
        }

        boolean headTooLong(long now) {
            return headSince != 0 && now - headSince > TimeUnit.MILLISECONDS.toNanos(HEAD_TIME_LIMIT_MS);
        }
    }
}
