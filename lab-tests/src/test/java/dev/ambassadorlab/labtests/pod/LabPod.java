package dev.ambassadorlab.labtests.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.ambassadorlab.console.traces.Trace;
import dev.ambassadorlab.console.traces.TraceText;
import dev.ambassadorlab.labtests.images.ImageChoice;
import dev.ambassadorlab.labtests.images.LabImages;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * The whole pod in containers, started once for the suite: WireMock with the mock Cat API's mappings, Toxiproxy in
 * front of it (one proxy, "cat-api", for both the search and the image download), the ambassador, and the app sharing
 * the ambassador's network namespace as a second container in a Kubernetes pod would. A second proxy, "ambassador",
 * lets a scenario put faults between the app and its ambassador. The two services restart only when a scenario asks
 * for another {@link PodVariant} (an exercise's code in place of the finished one).
 */
public final class LabPod {
    private static final Logger LOG = LoggerFactory.getLogger(LabPod.class);
    public static final Path ROOT = Path.of(System.getProperty("lab.root", "..")).toAbsolutePath().normalize();
    /** Set in the pod so the scenarios can check that the key is sent upstream and never shown anywhere else. */
    public static final String API_KEY = "lab-test-key-5f2b9c";
    /** The ambassador's settings for the suite: short enough to keep the suite fast, far from timing noise. */
    public static final Map<String, String> AMBASSADOR_SETTINGS = Map.ofEntries(
            Map.entry("CAT_API_URL", "http://toxiproxy:8666"),
            Map.entry("CAT_API_KEY", API_KEY),
            // The scenarios call the proxy from outside its container, to check it directly. Deployments keep the
            // default (loopback only, where just the app reaches it); NetworkIT checks that default.
            Map.entry("AMBASSADOR_BIND", "0.0.0.0"),
            Map.entry("ATTEMPT_TIMEOUT_MS", "1500"),
            Map.entry("REQUEST_DEADLINE_MS", "6000"),
            Map.entry("RETRY_MAX_RETRIES", "2"),
            Map.entry("RETRY_BASE_DELAY_MS", "100"),
            Map.entry("RETRY_MAX_DELAY_MS", "400"),
            Map.entry("RETRY_AFTER_MAX_MS", "3000"),
            Map.entry("RETRY_BUDGET_RATIO", "0.2"),
            // A floor of 9 retries that leave the window within a second: the budget stays out of the other
            // scenarios' way and refills quickly between them (RetryBudgetIT runs an ambassador of its own).
            Map.entry("RETRY_BUDGET_MIN_PER_SECOND", "9"),
            Map.entry("RETRY_BUDGET_WINDOW_MS", "1000"),
            Map.entry("BREAKER_FAILURE_THRESHOLD", "5"),
            Map.entry("BREAKER_OPEN_MS", "2000"),
            Map.entry("BULKHEAD_MAX_CONCURRENT", "6"));
    /** The app's settings for the suite: its timeout stays above the ambassador's deadline, so the 504 gets through. */
    public static final Map<String, String> APP_SETTINGS = Map.of("AMBASSADOR_TIMEOUT_MS", "8000");
    public static final String IMAGES_DIR = "/images";
    /** The ambassador's proxy, its admin endpoints, and the app (in the ambassador's network namespace). */
    public static final int PROXY_PORT = 5001;
    public static final int ADMIN_PORT = 9901;
    public static final int APP_PORT = 5000;
    /** Where an app that should reach its ambassador through Toxiproxy is pointed. */
    public static final String AMBASSADOR_VIA_PROXY = "http://toxiproxy:8667";
    /** How long the tests wait for any answer: longer than every budget in the pod. */
    public static final Duration CALLER_PATIENCE = Duration.ofSeconds(12);
    private static final String REQUEST_ID = "X-Request-Id";
    private static final ObjectMapper TRACES = new ObjectMapper();
    private static LabPod instance;
    private static RuntimeException startFailure;

    private final Network network = Network.newNetwork();
    private final GenericContainer<?> wiremock;
    private final ToxiproxyContainer toxiproxy;
    private final ImageFromDockerfile ambassadorImage = serviceImage("ambassador");
    private final ImageFromDockerfile appImage = serviceImage("app");
    private GenericContainer<?> ambassador;
    private GenericContainer<?> app;
    private PodVariant variant;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ToxiproxyClient toxiproxyClient;
    private Proxy catApiProxy;
    private Proxy ambassadorProxy;
    private WireMock wireMockAdmin;
    private final AtomicLong requestsSent = new AtomicLong();
    private volatile String lastRequestId;

    private LabPod() {
        wiremock = new GenericContainer<>(LabImages.wiremock())
                .withNetwork(network).withNetworkAliases("wiremock")
                .withCopyFileToContainer(MountableFile.forHostPath(ROOT.resolve("mock-cat-api/wiremock")), "/home/wiremock")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/__admin/mappings").forPort(8080));
        toxiproxy = new ToxiproxyContainer(LabImages.toxiproxy())
                .withNetwork(network).withNetworkAliases("toxiproxy");
    }

    private GenericContainer<?> newAmbassador(PodVariant variant) {
        var container = new GenericContainer<>(ambassadorImage)
                // "ambassador" is the name deploy/prometheus/prometheus.yml scrapes
                .withNetwork(network).withNetworkAliases("pod", "ambassador")
                .withEnv(AMBASSADOR_SETTINGS)
                .withEnv(variant.ambassadorSettings())
                // The app shares this container's network, so its port is published here too, as in a pod.
                .withExposedPorts(PROXY_PORT, ADMIN_PORT, APP_PORT)
                .waitingFor(Wait.forHttp("/health/ready").forPort(ADMIN_PORT).withStartupTimeout(Duration.ofSeconds(60)));
        return withOverlay(container, variant.ambassadorOverlay(), "ambassador", "dev.ambassadorlab.ambassador.AmbassadorMain");
    }

    private GenericContainer<?> newApp(PodVariant variant) {
        var container = new GenericContainer<>(appImage)
                .withNetworkMode("container:" + ambassador.getContainerId())
                .withEnv(APP_SETTINGS)
                .withEnv(variant.appSettings())
                .waitingFor(Wait.forLogMessage(".*App listening.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
        return withOverlay(container, variant.appOverlay(), "app", "dev.ambassadorlab.app.AppMain");
    }

    /**
     * Another ambassador on the pod's network, from the same image and with the pod's settings plus these, not yet
     * started: for a scenario that needs the container itself changed (a full disk).
     */
    public GenericContainer<?> extraAmbassador(Map<String, String> settings) {
        return new GenericContainer<>(ambassadorImage)
                .withNetwork(network)
                .withEnv(AMBASSADOR_SETTINGS)
                .withEnv(settings)
                .withExposedPorts(ADMIN_PORT)
                .waitingFor(Wait.forHttp("/health/live").forPort(ADMIN_PORT).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** Runs a command in the ambassador's container and returns what it printed. */
    public String execInAmbassador(String... command) {
        return exec(command);
    }

    /** Puts an overlay jar first on the service's class path, so its classes replace the finished ones. */
    private static GenericContainer<?> withOverlay(GenericContainer<?> container, Path overlay, String module,
                                                   String mainClass) {
        if (overlay == null) return container;
        return container.withCopyFileToContainer(MountableFile.forHostPath(overlay), "/opt/lab/overlay.jar")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("java", "@jvm.options",
                        "-cp", "/opt/lab/overlay.jar:" + module + ".jar:lib/*", mainClass));
    }

    /** The suite's pod, started on first use and stopped when the test JVM exits. */
    public static synchronized LabPod get() {
        if (startFailure != null) throw startFailure; // one clear failure, not a retry per test class
        if (instance == null) {
            try {
                if (!DockerClientFactory.instance().isDockerAvailable()) {
                    throw new IllegalStateException("The chaos suite needs a running Docker engine and found none: "
                            + "start Docker (Docker Desktop, the docker service; ./lab test starts one on Debian as root), "
                            + "or run only the unit tests with ./mvnw verify -DskipITs");
                }
                var pod = new LabPod();
                Runtime.getRuntime().addShutdownHook(new Thread(pod::stop, "lab-pod-stop"));
                pod.start();
                instance = pod;
            } catch (RuntimeException failed) {
                startFailure = failed;
                throw failed;
            }
        }
        return instance;
    }

    /** The app or ambassador image, built from its module's Dockerfile and jar; Docker's cache makes rebuilds quick. */
    public static ImageFromDockerfile serviceImage(String module) {
        Path dir = ROOT.resolve(module);
        Path jar = dir.resolve("target/" + module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with ./mvnw -DskipTests package");
        }
        return new ImageFromDockerfile("ambassador-lab/" + module + ":lab-tests", false)
                .withFileFromPath("Dockerfile", dir.resolve("Dockerfile"))
                .withFileFromPath("target/" + module + ".jar", jar)
                .withFileFromPath("target/lib", dir.resolve("target/lib"))
                .withFileFromPath("jvm.options", dir.resolve("jvm.options"))
                .withBuildArg("JRE_IMAGE", ImageChoice.instance().resolve(LabImages.jre()).asCanonicalNameString());
    }

    private void start() {
        long begin = System.nanoTime();
        wiremock.start();
        toxiproxy.start();
        try {
            toxiproxyClient = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort());
            createProxies();
        } catch (IOException unreachable) {
            throw new UncheckedIOException(unreachable);
        }
        wireMockAdmin = new WireMock(wiremock.getHost(), wiremock.getMappedPort(8080));
        LOG.info("Mock Cat API and Toxiproxy up in {} ms; the services start with the first scenario",
                (System.nanoTime() - begin) / 1_000_000);
    }

    private void createProxies() throws IOException {
        catApiProxy = toxiproxyClient.createProxy("cat-api", "0.0.0.0:8666", "wiremock:8080");
        ambassadorProxy = toxiproxyClient.createProxy("ambassador", "0.0.0.0:8667", "pod:" + PROXY_PORT);
    }

    /** Runs the services as the variant says, restarting only what changes (the app whenever the ambassador does). */
    public synchronized void use(PodVariant wanted) {
        if (wanted.equals(variant)) return;
        long begin = System.nanoTime();
        boolean newAmbassador = !wanted.sameAmbassadorAs(variant);
        if (app != null) app.stop();
        if (newAmbassador) {
            if (ambassador != null) ambassador.stop();
            ambassador = newAmbassador(wanted);
            ambassador.start();
            // The ambassador's own log, for a failing run: -Dorg.slf4j.simpleLogger.log.ambassador=debug shows it.
            Logger ambassadorLog = LoggerFactory.getLogger("ambassador");
            ambassador.followOutput(frame -> ambassadorLog.debug(frame.getUtf8StringWithoutLineEnding()));
        }
        app = newApp(wanted);
        app.start();
        variant = wanted;
        LOG.info("Ambassador {} and app {} started ({}) in {} ms", ambassadorUrl(""), appUrl(""),
                wanted.equals(PodVariant.FINISHED) ? "finished" : wanted, (System.nanoTime() - begin) / 1_000_000);
    }

    private void stop() {
        for (GenericContainer<?> container : Arrays.asList(app, ambassador, toxiproxy, wiremock)) {
            try {
                if (container != null) container.stop();
            } catch (RuntimeException ignored) {
                // stopping is best effort at JVM exit
            }
        }
        network.close();
    }

    /**
     * Puts the pod back to normal between tests: no toxics, the proxy enabled, the mock's own mappings, an empty
     * journal and images directory, every breaker closed and the retry budget back to its floor.
     */
    public void reset() {
        long begin = System.nanoTime();
        try {
            // Fresh proxies: deleting one closes its connections at once, while removing a latency toxic waits for
            // the answers it holds, and no pooled connection keeps a delay that is gone.
            catApiProxy.delete();
            ambassadorProxy.delete();
            createProxies();
        } catch (IOException unreachable) {
            throw new UncheckedIOException(unreachable);
        }
        wireMockAdmin.resetToDefaultMappings();
        wireMockAdmin.resetScenarios();
        // First let the retries of earlier scenarios leave the budget's window (watching, not calling), then make
        // sure the upstream answers and every breaker is closed (calling, which closes an open breaker).
        Map<String, String> settings = new java.util.HashMap<>(AMBASSADOR_SETTINGS);
        settings.putAll(variant.ambassadorSettings());
        double budgetFloor = Double.parseDouble(settings.get("RETRY_BUDGET_MIN_PER_SECOND"))
                * Double.parseDouble(settings.get("RETRY_BUDGET_WINDOW_MS")) / 1000;
        await("the retry budget back to its floor").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> metrics().value("ambassador_retry_budget_remaining") >= budgetFloor);
        // Through the app when the proxy listens on the pod's loopback only (the app forwards both headers).
        boolean proxyOpen = "0.0.0.0".equals(settings.get("AMBASSADOR_BIND"));
        await("the upstream answering and the breakers closed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    String[] fresh = {"X-Ambassador-Max-Retries", "0", "Cache-Control", "no-cache"};
                    Answer answer = proxyOpen ? ambassador("/images/latest", fresh) : app("/images/latest", fresh);
                    return answer.status() == 200 && metrics().max("ambassador_circuit_breaker_state") == 0;
                });
        wireMockAdmin.resetRequests();
        exec("sh", "-c", "rm -f " + IMAGES_DIR + "/* " + IMAGES_DIR + "/.incoming-*");
        LOG.debug("Pod reset in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }

    public Answer ambassador(String path, String... headers) {
        return get(ambassadorUrl(path), headers);
    }

    public Answer app(String path, String... headers) {
        return get(appUrl(path), headers);
    }

    /** The pod's Docker network, for containers a scenario adds (Prometheus). */
    public Network network() {
        return network;
    }

    public Metrics metrics() {
        return Metrics.parse(admin("/metrics").body());
    }

    /** The ambassador's admin port: /metrics and /health/*. */
    public Answer admin(String path, String... headers) {
        return get(adminUrl(path), headers);
    }

    public WireMock catApiMock() {
        return wireMockAdmin;
    }

    /** The Toxiproxy proxy between the ambassador and the mock Cat API. */
    public Proxy catApiProxy() {
        return catApiProxy;
    }

    /** The Toxiproxy proxy between the app and its ambassador, for pods whose app is pointed at it. */
    public Proxy ambassadorProxy() {
        return ambassadorProxy;
    }

    public ToxiproxyClient toxiproxy() {
        return toxiproxyClient;
    }

    /** Toxiproxy's HTTP API (its control port), for a client other than {@link #toxiproxy()}: the lab console. */
    public String toxiproxyUrl() {
        return "http://" + toxiproxy.getHost() + ":" + toxiproxy.getControlPort();
    }

    /** The mock Cat API, whose admin API is under /__admin. */
    public String wiremockUrl() {
        return "http://" + wiremock.getHost() + ":" + wiremock.getMappedPort(8080);
    }

    /** Every file in the ambassador's images directory, temporary ones included. */
    public List<String> savedFiles() {
        String listing = exec("find", IMAGES_DIR, "-type", "f");
        return Arrays.stream(listing.split("\n")).filter(line -> !line.isBlank()).sorted().toList();
    }

    public String sha256InAmbassador(String file) {
        return exec("sha256sum", file).split("\\s+")[0];
    }

    private String exec(String... command) {
        try {
            var result = ambassador.execInContainer(command);
            if (result.getExitCode() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + result.getStderr());
            }
            return result.getStdout();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private Answer get(String url, String... headers) {
        var request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) request.headers(headers);
        return send(request);
    }

    private HttpRequest withRequestId(HttpRequest request) {
        String path = request.uri().getPath();
        if (path.startsWith("/metrics") || path.startsWith("/health") || path.startsWith("/debug")) return request;
        String id = request.headers().firstValue(REQUEST_ID).orElse(null);
        if (id == null) {
            id = "scenario-" + requestsSent.incrementAndGet();
            request = HttpRequest.newBuilder(request, (name, value) -> true).header(REQUEST_ID, id).build();
        }
        lastRequestId = id;
        return request;
    }

    /**
     * The ambassador's trace of the last request sent to the app or the proxy, as text; empty when the ambassador has
     * none to show (an image graded by {@code ./lab grade} need not serve {@code /debug/requests}).
     */
    public Optional<String> lastTraceText() {
        String id = lastRequestId;
        return id == null ? Optional.empty() : trace(id).map(trace -> TraceText.format(Trace.parse(trace.toString())));
    }

    /**
     * The trace of the request with this id among the latest 200 on the admin port; empty when it is not (yet) there,
     * or the ambassador keeps none (an image graded by {@code ./lab grade} need not serve {@code /debug/requests}).
     */
    public Optional<JsonNode> trace(String requestId) {
        if (ambassador == null) return Optional.empty();
        try {
            Answer answer = admin("/debug/requests?limit=200");
            if (answer.status() != 200) return Optional.empty();
            for (JsonNode trace : TRACES.readTree(answer.body())) {
                if (requestId.equals(trace.path("request_id").asText())) return Optional.of(trace);
            }
        } catch (IOException | RuntimeException unreadable) {
            LOG.debug("No trace of request {}: {}", requestId, unreadable.toString());
        }
        return Optional.empty();
    }

    /** The suite's pod when it has started, for what is shown about a failed scenario. */
    public static synchronized Optional<LabPod> started() {
        return Optional.ofNullable(instance);
    }

    public String ambassadorUrl(String path) {
        return "http://" + ambassador.getHost() + ":" + ambassador.getMappedPort(PROXY_PORT) + path;
    }

    public String adminUrl(String path) {
        return "http://" + ambassador.getHost() + ":" + ambassador.getMappedPort(ADMIN_PORT) + path;
    }

    public String appUrl(String path) {
        return "http://" + ambassador.getHost() + ":" + ambassador.getMappedPort(APP_PORT) + path;
    }

    /**
     * Sends a request; an answer that does not come within {@link #CALLER_PATIENCE} is status 0. A request to the app
     * or the proxy carries an {@code X-Request-Id} (the scenario's own, or one given here), so that the ambassador's
     * trace of the last one can be shown when a scenario fails.
     */
    public Answer send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(withRequestId(request.timeout(CALLER_PATIENCE).build()),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (HttpTimeoutException gaveUp) {
            return new Answer(0, "(no answer within " + CALLER_PATIENCE.toSeconds() + " s)",
                    HttpHeaders.of(Map.of(), (name, value) -> true), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
