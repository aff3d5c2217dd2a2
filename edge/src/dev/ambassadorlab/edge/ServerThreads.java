package dev.ambassadorlab.edge;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's thread pools: bounded, because the work is CPU and short upstream calls. Requests beyond the threads
 * wait in Jetty's queue for one: a few dozen threads sharing two cores serve as many requests a second as hundreds,
 * with a fraction of the context switches and memory. Idle threads above the minimum end after a while, all of them,
 * so the count after a burst comes back down.
 */
public final class ServerThreads {
    /** Metrics and health checks: a handful of callers at most (Prometheus, the kubelet). */
    public static final int ADMIN_MAX_THREADS = 8;
    private static final int MIN_THREADS = 4;
    private static final int IDLE_TIMEOUT_MS = 20_000;

    private ServerThreads() {
    }

    public static QueuedThreadPool pool(String name, int maxThreads) {
        var pool = new QueuedThreadPool(maxThreads, Math.min(MIN_THREADS, maxThreads), IDLE_TIMEOUT_MS);
        pool.setName(name);
        // Jetty ends one idle thread per idle timeout by default: after a burst to 32 threads that takes minutes.
        pool.setMaxEvictCount(maxThreads);
        return pool;
    }
}
