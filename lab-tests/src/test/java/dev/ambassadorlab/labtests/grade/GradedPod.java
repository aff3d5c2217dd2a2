package dev.ambassadorlab.labtests.grade;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ChangeLog;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.ambassadorlab.labtests.images.LabImages;
import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.LabPod;
import dev.ambassadorlab.labtests.pod.Metrics;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod around a graded ambassador: the mock Cat API (WireMock) behind Toxiproxy, as in the chaos suite, started
 * once; the candidate and the app beside it (in its network namespace) start afresh for every scenario, so no
 * breaker, budget or cache carries over from one scenario to the next, whatever the candidate keeps.
 */
final class GradedPod implements AutoCloseable {
    /** Where the candidate saves images: under /tmp, so an id that climbs out of it lands somewhere writable. */
    static final String IMAGES_DIR = "/tmp/lab-images";
    /**
     * A world-writable /tmp copied into every candidate before it starts: an image built FROM scratch has none, and a
     * candidate running as any user must be able to create IMAGES_DIR under it. Copied, not mounted, so the engine's
     * archive API (which does not see tmpfs mounts) reads what was saved.
     */
    private static final MountableFile WRITABLE_TMP = writableTmp();
    /** How long a caller waits for any answer: far beyond any sensible deadline, far short of three hung attempts. */
    static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final int APP_PORT = 5000;

    private final Candidate candidate;
    private final Network network = Network.newNetwork();
    private final GenericContainer<?> wiremock;
    private final ToxiproxyContainer toxiproxy;
    private final WireMock wireMockAdmin;
    private final ToxiproxyClient toxiproxyClient;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Proxy catApiProxy;
    /** Why the candidate did not start, once it has not: every later scenario fails at once with the same words. */
    private String startFailure;
    private GenericContainer<?> ambassador;
    private GenericContainer<?> app;
    /** What the candidate had changed in its filesystem once it was ready: its own start's files, not a scenario's. */
    private Set<String> changedAtStart = Set.of();

    GradedPod(Candidate candidate) {
        this.candidate = candidate;
        wiremock = new GenericContainer<>(LabImages.wiremock())
                .withNetwork(network).withNetworkAliases("wiremock")
                .withCopyFileToContainer(MountableFile.forHostPath(LabPod.ROOT.resolve("mock-cat-api/wiremock")), "/home/wiremock")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/__admin/mappings").forPort(8080));
        toxiproxy = new ToxiproxyContainer(LabImages.toxiproxy()).withNetwork(network).withNetworkAliases("toxiproxy");
        wiremock.start();
        toxiproxy.start();
        wireMockAdmin = new WireMock(wiremock.getHost(), wiremock.getMappedPort(8080));
        toxiproxyClient = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort());
    }

    /** A fresh candidate and app, the mock back to its own mappings with an empty journal, no toxics. */
    void startScenario() {
        stopServices();
        try {
            if (catApiProxy != null) catApiProxy.delete();
            catApiProxy = toxiproxyClient.createProxy("cat-api", "0.0.0.0:8666", "wiremock:8080");
        } catch (IOException unreachable) {
            throw new UncheckedIOException(unreachable);
        }
        wireMockAdmin.resetToDefaultMappings();
        wireMockAdmin.resetScenarios();
        wireMockAdmin.resetRequests();
        List<Integer> ports = new ArrayList<>(List.of(candidate.port(), APP_PORT));
        if (candidate.metricsPort() != candidate.port()) ports.add(candidate.metricsPort());
        if (startFailure != null) throw new IllegalStateException(startFailure);
        ambassador = new GenericContainer<>(candidate.image())
                .withNetwork(network).withNetworkAliases("ambassador")
                .withCopyFileToContainer(WRITABLE_TMP, "/tmp")
                .withEnv("CAT_API_URL", "http://toxiproxy:8666")
                .withEnv("IMAGES_DIR", IMAGES_DIR)
                .withEnv("AMBASSADOR_PORT", String.valueOf(candidate.port()))
                .withEnv(candidate.env())
                .withExposedPorts(ports.toArray(Integer[]::new))
                .waitingFor(Wait.forHttp("/metrics").forPort(candidate.metricsPort())
                        .withStartupTimeout(Duration.ofSeconds(60)));
        try {
            ambassador.start();
        } catch (RuntimeException failed) {
            startFailure = candidate.image() + " did not answer GET /metrics on port " + candidate.metricsPort()
                    + " within 60 s of starting; its last log line: " + lastLogLine(ambassador);
            throw new IllegalStateException(startFailure, failed);
        }
        changedAtStart = new HashSet<>(changedPaths());
        app = new GenericContainer<>(LabPod.serviceImage("app"))
                .withNetworkMode("container:" + ambassador.getContainerId())
                .withEnv("AMBASSADOR_URL", "http://localhost:" + candidate.port())
                .waitingFor(Wait.forLogMessage(".*App listening.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
        app.start();
    }

    /** @param headers names and values, in turn */
    Answer ambassador(String path, String... headers) {
        return get("http://" + ambassador.getHost() + ":" + ambassador.getMappedPort(candidate.port()) + path, headers);
    }

    Answer app(String path) {
        return get("http://" + ambassador.getHost() + ":" + ambassador.getMappedPort(APP_PORT) + path);
    }

    String metricsText() {
        return get("http://" + ambassador.getHost() + ":" + ambassador.getMappedPort(candidate.metricsPort()) + "/metrics")
                .body();
    }

    Metrics metrics() {
        return Metrics.parse(metricsText());
    }

    WireMock mock() {
        return wireMockAdmin;
    }

    Proxy catApiProxy() {
        return catApiProxy;
    }

    /** The regular files under a directory of the candidate's container, read through the engine: no shell needed. */
    List<String> filesUnder(String dir) {
        List<String> files = new ArrayList<>();
        try (InputStream tar = DockerClientFactory.instance().client()
                .copyArchiveFromContainerCmd(ambassador.getContainerId(), dir).exec();
             var entries = new TarArchiveInputStream(tar)) {
            for (TarArchiveEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                if (entry.isFile()) files.add(entry.getName());
            }
        } catch (NotFoundException absent) {
            return files;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return files;
    }

    /**
     * Every path the candidate added or changed anywhere in its container's filesystem since it was ready, from the
     * engine's diff of the container, so that a write that climbed out of IMAGES_DIR (an id like "../../x", an absolute
     * path) or one that ignored it is seen wherever it landed. A directory is left out when a path below it is listed:
     * it changed because of that one.
     */
    List<String> writtenSinceStart() {
        List<String> written = changedPaths().stream().filter(path -> !changedAtStart.contains(path)).sorted().toList();
        return written.stream().filter(path -> written.stream().noneMatch(other -> other.startsWith(path + "/")))
                .toList();
    }

    /** Written since the start, outside IMAGES_DIR. */
    List<String> writtenOutsideImagesDir() {
        return writtenSinceStart().stream()
                .filter(path -> !path.equals(IMAGES_DIR) && !path.startsWith(IMAGES_DIR + "/")).toList();
    }

    private List<String> changedPaths() {
        List<ChangeLog> changes = DockerClientFactory.instance().client()
                .containerDiffCmd(ambassador.getContainerId()).exec();
        // Kind 2 is a deletion: a temporary file that came and went leaves nothing behind.
        return changes == null ? List.of() : changes.stream().filter(change -> change.getKind() != 2)
                .map(ChangeLog::getPath).toList();
    }

    /** The bytes of one file in the candidate's container, or null when there is none. */
    byte[] fileBytes(String path) {
        try (InputStream tar = DockerClientFactory.instance().client()
                .copyArchiveFromContainerCmd(ambassador.getContainerId(), path).exec();
             var entries = new TarArchiveInputStream(tar)) {
            return entries.getNextEntry() == null ? null : entries.readAllBytes();
        } catch (NotFoundException absent) {
            return null;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private Answer get(String url, String... headers) {
        long start = System.nanoTime();
        try {
            var request = HttpRequest.newBuilder(URI.create(url)).timeout(PATIENCE);
            if (headers.length > 0) request.headers(headers);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (HttpTimeoutException gaveUp) {
            return new Answer(0, "(no answer within " + PATIENCE.toSeconds() + " s)",
                    HttpHeaders.of(Map.of(), (name, value) -> true), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException failed) {
            return new Answer(0, "(the connection failed: " + failed + ")", HttpHeaders.of(Map.of(), (n, v) -> true),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private static String lastLogLine(GenericContainer<?> container) {
        try {
            String[] lines = container.getLogs().strip().split("\n");
            return lines[lines.length - 1].isBlank() ? "(none)" : lines[lines.length - 1];
        } catch (RuntimeException gone) {
            return "(none: the container is gone)";
        }
    }

    private static MountableFile writableTmp() {
        try {
            Path tmp = Files.createTempDirectory("lab-grade-tmp");
            tmp.toFile().deleteOnExit();
            return MountableFile.forHostPath(tmp, 01777);
        } catch (IOException cannot) {
            throw new UncheckedIOException(cannot);
        }
    }

    private void stopServices() {
        if (app != null) app.stop();
        if (ambassador != null) ambassador.stop();
        app = null;
        ambassador = null;
    }

    @Override
    public void close() {
        stopServices();
        toxiproxy.stop();
        wiremock.stop();
        network.close();
    }
}
