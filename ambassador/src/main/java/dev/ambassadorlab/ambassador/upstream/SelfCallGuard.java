package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Refuses to send a request to the ambassador itself: an upstream answer (or a configuration) that points at one of
 * its own ports on this host would make it call itself, request after request, until its bulkhead is full. The check
 * looks at the address actually connected to, so a host name that resolves to this machine is caught too.
 */
public final class SelfCallGuard implements Interceptor {
    private final Set<Integer> ownPorts = new CopyOnWriteArraySet<>();

    /** Called once the ambassador listens, with the ports it really got. */
    public void listeningOn(int... ports) {
        for (int port : ports) ownPorts.add(port);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Connection connection = chain.connection();
        if (connection != null) {
            InetSocketAddress target = connection.route().socketAddress();
            if (ownPorts.contains(target.getPort()) && isThisHost(target.getAddress())) {
                throw new AmbassadorException(ErrorCode.SELF_CALL_REFUSED, "an upstream URL leads to the ambassador "
                        + "itself; it does not call its own ports", null,
                        chain.request().url().redact() + " connects to " + target);
            }
        }
        return chain.proceed(chain.request());
    }

    private static boolean isThisHost(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) return true;
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException unknown) {
            return false;
        }
    }
}
