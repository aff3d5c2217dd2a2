package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.LocalAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * With default settings the proxy, which adds the API key, is reachable from this host only; the admin port (metrics
 * and health, no key) from anywhere, for Prometheus and the kubelet.
 */
class ListenersTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings();

    @Test
    void theProxyListensOnLoopbackOnlyAndTheAdminPortOnEveryInterface() throws Exception {
        InetAddress external = LocalAddresses.nonLoopback().orElse(null);
        assumeThat(external).as("a network interface besides loopback").isNotNull();
        var ambassador = pod.ambassador();

        assertThatThrownBy(() -> connect(external, ambassador.proxyPort()))
                .as("the proxy port from %s", external).isInstanceOf(ConnectException.class);
        connect(InetAddress.getLoopbackAddress(), ambassador.proxyPort());
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + external.getHostAddress() + ":" + ambassador.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ambassador_requests_total");
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }
}
