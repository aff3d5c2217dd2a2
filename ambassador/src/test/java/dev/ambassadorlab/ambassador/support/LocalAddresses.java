package dev.ambassadorlab.ambassador.support;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

/** This machine's own addresses beyond loopback: what another host on its network would connect to. */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /** An IPv4 address of an interface that is up and not loopback, if this machine has one. */
    public static Optional<InetAddress> nonLoopback() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) continue;
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) return Optional.of(address);
                }
            }
        } catch (SocketException unknown) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
