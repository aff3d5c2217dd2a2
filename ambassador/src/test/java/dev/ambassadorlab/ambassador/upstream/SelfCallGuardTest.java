package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.LocalAddresses;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.search;
import static org.assertj.core.api.Assertions.assertThat;

/** An image URL that leads back to the ambassador is refused at the connection, whatever name it uses. */
class SelfCallGuardTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_MAX_RETRIES", "0");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void anImageUrlPointingAtTheAmbassadorsOwnPortIsRefusedWithoutACall() throws IOException {
        int port = freePort();
        // Even when a careless configuration allows it, under a name that is not "localhost".
        String byName = "http://" + InetAddress.getLocalHost().getHostName().toLowerCase() + ":" + port;
        String byLoopback = "http://127.0.0.1:" + port;
        String byInterface = LocalAddresses.nonLoopback().map(a -> "http://" + a.getHostAddress() + ":" + port)
                .orElse(byLoopback);
        var ambassador = pod.start("AMBASSADOR_PORT", String.valueOf(port), "AMBASSADOR_BIND", "0.0.0.0",
                "IMAGE_HOSTS", byName + ", " + byLoopback + ", " + byInterface);
        for (String origin : new String[]{byName, byLoopback, byInterface}) {
            String url = origin + "/images/latest";
            catApi.enqueue(search("loop", url));

            var answer = ambassador.get("/images/latest");

            assertThat(answer.status()).as(url).isEqualTo(502);
            assertThat(answer.body()).contains("\"error\":\"self_call_refused\"", "leads to the ambassador itself")
                    .doesNotContain(String.valueOf(port));
        }
        assertThat(ambassador.metric("ambassador_requests_total")).as("the ambassador never called itself").isEqualTo(3.0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
