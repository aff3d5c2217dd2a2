package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.upstream.SelfCallGuard;
import io.javalin.Javalin;

import java.net.InetAddress;

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

    Ambassador(AmbassadorConfig config, Javalin proxy, Javalin admin, SelfCallGuard selfCallGuard) {
        this.config = config;
        this.proxy = proxy;
        this.admin = admin;
        this.selfCallGuard = selfCallGuard;
    }

    public Ambassador start() {
        admin.start(host(config.adminBindAddress()), config.adminPort());
        proxy.start(host(config.bindAddress()), config.port());
        selfCallGuard.listeningOn(proxy.port(), admin.port());
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
