package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import dev.ambassadorlab.ambassador.upstream.SelfCallGuard;
import dev.ambassadorlab.ambassador.upstream.UpstreamClients;
import io.javalin.Javalin;

import java.net.InetAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The running ambassador: two listeners, as sidecars have. The proxy ({@code /images/latest}, {@code /v1/...}) adds
 * the API key to what it sends, so it listens on loopback by default, where only the pod reaches it; the admin
 * listener ({@code /metrics}, {@code /health/...}) holds no key and is the one Prometheus and the kubelet reach.
 */
public final class Ambassador {
    private final AmbassadorConfig config;
    private final Javalin proxy;
    private final Javalin admin;
    private final SelfCallGuard selfCallGuard;
    private final Readiness readiness;
    private final UpstreamClients clients;

    Ambassador(AmbassadorConfig config, Javalin proxy, Javalin admin, SelfCallGuard selfCallGuard, Readiness readiness,
               UpstreamClients clients) {
        this.config = config;
        this.proxy = proxy;
        this.admin = admin;
        this.selfCallGuard = selfCallGuard;
        this.readiness = readiness;
        this.clients = clients;
    }

    /**
     * Starts both listeners side by side, the admin one on a thread of its own: most of a start is loading and
     * initialising classes, which a second core shares. When either cannot start, neither is left running.
     */
    public Ambassador start() {
        var adminStart = new FutureTask<Void>(() -> admin.start(host(config.adminBindAddress()), config.adminPort()), null);
        new Thread(adminStart, "ambassador-admin-start").start();
        RuntimeException failed = null;
        try {
            proxy.start(host(config.bindAddress()), config.port());
        } catch (RuntimeException cannotStart) {
            failed = cannotStart;
        }
        try {
            adminStart.get();
        } catch (ExecutionException cannotStart) {
            if (failed == null) failed = cannotStart.getCause() instanceof RuntimeException unchecked ? unchecked
                    : new IllegalStateException(cannotStart.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            if (failed == null) failed = new IllegalStateException("interrupted while the admin listener started");
        }
        if (failed != null) {
            stop();
            throw failed;
        }
        selfCallGuard.listeningOn(proxy.port(), admin.port());
        readiness.proxyListens();
        clients.setUp(); // after the listeners, not beside them: see UpstreamClients
        return this;
    }

    public void stop() {
        proxy.stop();
        admin.stop();
    }

    /** The proxy's port: the one it really got when the configuration said 0. */
    public int proxyPort() {
        return proxy.port();
    }

    public int adminPort() {
        return admin.port();
    }

    private static String host(InetAddress address) {
        return address.getHostAddress();
    }
}
