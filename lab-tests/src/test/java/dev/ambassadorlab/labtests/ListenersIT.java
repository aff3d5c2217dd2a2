package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ambassador with its default listeners, as it is deployed: the proxy, which adds the API key, on the pod's
 * loopback only (the app beside it reaches it; nothing else does), and the admin port on every interface.
 */
class ListenersIT extends ChaosTest {

    @Override
    protected Map<String, String> ambassadorSettings() {
        return Map.of("AMBASSADOR_BIND", "127.0.0.1"); // the default; the pod's own settings open it for the suite
    }

    @Test
    void with_default_settings_the_proxy_port_listens_on_the_pods_loopback_only() {
        // Given the kernel's own table of listening sockets in the ambassador's network namespace (what ss -ltn reads)
        Set<String> listening = listeningSockets();
        var before = pod.metrics();

        assertThat(listening).as("listening sockets (address:port)").contains("127.0.0.1:" + LabPod.PROXY_PORT,
                "0.0.0.0:" + LabPod.ADMIN_PORT).doesNotContain("0.0.0.0:" + LabPod.PROXY_PORT);
        // Then the app, which shares the pod's network, still gets its cat through the proxy
        assertThat(pod.app("/images/latest").status()).as("a cat through the app").isEqualTo(200);
        // And from outside the pod the proxy port does not answer, while the admin port does
        assertThatThrownBy(() -> pod.ambassador("/images/latest")).as("the proxy port from outside the pod")
                .isInstanceOf(UncheckedIOException.class);
        assertThat(pod.metrics().increaseSince(before, "ambassador_requests_total", "status", "success"))
                .as("the app's request, counted on the admin port").isEqualTo(1);
    }

    @Test
    void readiness_fails_while_the_images_volume_has_less_room_than_the_largest_image() throws IOException, InterruptedException {
        // Given an ambassador whose images volume is a 1 MB tmpfs, and the default largest image of 5 MB
        try (GenericContainer<?> ambassador = pod.extraAmbassador(Map.of())) {
            ambassador.withTmpFs(Map.of(LabPod.IMAGES_DIR, "rw,size=1m,uid=10001")).start();

            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                    + ambassador.getHost() + ":" + ambassador.getMappedPort(LabPod.ADMIN_PORT) + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).as("readiness on a full disk: %s", ready.body()).isEqualTo(503);
            assertThat(ready.body()).as("the readiness answer on a full disk should say why it is not ready")
                    .contains("not_ready", "bytes free", "less than IMAGE_MAX_BYTES (5242880)");
        }
    }

    /** Listening TCP sockets as "address:port", from /proc/net/tcp inside the ambassador's container. */
    private Set<String> listeningSockets() {
        return Arrays.stream(pod.execInAmbassador("cat", "/proc/net/tcp").split("\n"))
                .map(String::trim).map(line -> line.split("\\s+"))
                .filter(fields -> fields.length > 3 && fields[3].equals("0A")) // 0A: LISTEN
                .map(fields -> address(fields[1]))
                .collect(Collectors.toSet());
    }

    /** "0100007F:1389" (little-endian hex) as "127.0.0.1:5001". */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        long ip = Long.parseLong(parts[0], 16);
        return (ip & 0xff) + "." + (ip >> 8 & 0xff) + "." + (ip >> 16 & 0xff) + "." + (ip >> 24 & 0xff) + ":"
                + Integer.parseInt(parts[1], 16);
    }
}
