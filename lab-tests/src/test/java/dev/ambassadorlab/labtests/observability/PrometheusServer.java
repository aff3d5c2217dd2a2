package dev.ambassadorlab.labtests.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambassadorlab.labtests.images.LabImages;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real Prometheus server on the pod's network, configured with the committed deploy/prometheus files: it scrapes
 * the ambassador as Compose and Kubernetes would, and its promtool checks configs, rules and expositions.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GenericContainer<?> container;
    private final HttpClient http = HttpClient.newHttpClient();

    PrometheusServer(LabPod pod) {
        var config = LabPod.ROOT.resolve("deploy/prometheus");
        container = new GenericContainer<>(LabImages.prometheus())
                .withNetwork(pod.network()).withNetworkAliases("prometheus")
                .withCopyFileToContainer(MountableFile.forHostPath(config.resolve("prometheus.yml")), "/etc/prometheus/prometheus.yml")
                .withCopyFileToContainer(MountableFile.forHostPath(config.resolve("alerts.yml")), "/etc/prometheus/alerts.yml")
                .withCopyFileToContainer(MountableFile.forHostPath(config.resolve("alerts.test.yml")), "/etc/prometheus/alerts.test.yml")
                .withCommand("--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus")
                .withExposedPorts(9090)
                .waitingFor(Wait.forHttp("/-/ready").forPort(9090));
        container.start();
    }

    /** The instant value of a query, as label set to value (Prometheus' own labels left in). */
    Map<Map<String, String>, Double> query(String promql) {
        String url = "http://" + container.getHost() + ":" + container.getMappedPort(9090) + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (!"success".equals(body.path("status").asText())) {
                throw new AssertionError("Prometheus refused " + promql + ": " + body.path("error").asText());
            }
            Map<Map<String, String>, Double> result = new HashMap<>();
            JsonNode data = body.path("data");
            if (data.path("resultType").asText().equals("scalar")) {
                result.put(Map.of(), data.path("result").get(1).asDouble());
                return result;
            }
            for (JsonNode series : data.path("result")) {
                Map<String, String> labels = new TreeMap<>();
                series.path("metric").fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
                result.put(labels, Double.parseDouble(series.path("value").get(1).asText()));
            }
            return result;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** Runs promtool inside the Prometheus image; stdin, when given, is copied in as a file first. */
    Container.ExecResult promtool(String stdin, String... arguments) {
        try {
            if (stdin == null) {
                String[] command = new String[arguments.length + 1];
                command[0] = "promtool";
                System.arraycopy(arguments, 0, command, 1, arguments.length);
                return container.execInContainer(command);
            }
            container.copyFileToContainer(Transferable.of(stdin), "/tmp/promtool-input");
            return container.execInContainer("sh", "-c", "promtool " + String.join(" ", arguments) + " < /tmp/promtool-input");
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
