package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import dev.ambassadorlab.ambassador.images.ImageStore;
import io.javalin.util.JavalinBindException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start: both listeners or neither, ready only once the proxy listens, and the image build's training run. */
class StartTest {
    @TempDir
    Path images;

    @Test
    void aProxyPortInUseStopsTheStartAndLeavesNoAdminListenerBehind() throws IOException {
        int adminPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            adminPort = free.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Ambassador ambassador = AmbassadorApp.create(AmbassadorConfig.fromEnv(Map.of(
                            "CAT_API_URL", "http://127.0.0.1:9/", "IMAGES_DIR", images.toString(),
                            "AMBASSADOR_PORT", String.valueOf(taken.getLocalPort()),
                            "ADMIN_PORT", String.valueOf(adminPort), "ADMIN_BIND", "127.0.0.1")),
                    new PrometheusRegistry(), new PrintStream(OutputStream.nullOutputStream()));

            assertThatThrownBy(ambassador::start).isInstanceOf(JavalinBindException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThatThrownBy(() -> connect(adminPort)).as("the admin port after the failed start")
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void notReadyUntilTheProxyListensThenAsTheImagesDirectorySays() {
        var readiness = new Readiness(new ImageStore(images, dir -> 1_000_000), 1_000);
        assertThat(readiness.whyNot()).isEqualTo("the proxy is not listening yet");

        readiness.proxyListens();

        assertThat(readiness.whyNot()).isNull();
        assertThat(new Readiness(new ImageStore(images, dir -> 999), 1_000)).satisfies(full -> {
            full.proxyListens();
            assertThat(full.whyNot()).contains("less than IMAGE_MAX_BYTES (1000)");
        });
    }

    @Test
    void theTrainingRunForTheClassArchiveGoesThroughEveryPathItMeansTo() throws IOException {
        // It throws when a call answers other than planned (and the image build stops); here it must not.
        StartupTraining.run();
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        }
    }
}
