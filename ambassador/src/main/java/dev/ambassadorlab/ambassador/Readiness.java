package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.images.ImageStore;

/**
 * What /health/ready answers: whether the ambassador can do its job locally. Its proxy must listen (the admin
 * listener starts beside it and may answer first) and it must be able to save an image of the largest size it accepts.
 * It never asks the upstream: an outage of the Cat API must not take the pod out of its Service.
 */
final class Readiness {
    private final ImageStore store;
    private final long imageMaxBytes;
    private volatile boolean proxyListening;

    Readiness(ImageStore store, long imageMaxBytes) {
        this.store = store;
        this.imageMaxBytes = imageMaxBytes;
    }

    void proxyListens() {
        proxyListening = true;
    }

    /** Why the ambassador is not ready, for whoever reaches the admin port; null when it is. */
    String whyNot() {
        if (!proxyListening) return "the proxy is not listening yet";
        return store.whyNotReady(imageMaxBytes);
    }
}
