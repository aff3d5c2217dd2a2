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
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
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
 * one network namespace as the containers of a Kubernetes pod do: a third container that only holds it (Kubernetes'
 * pause container), so either service restarts without the other. A second proxy, "ambassador", lets a scenario put
 * faults between the app and its ambassador. A service restarts only when a scenario asks for another
 * {@link PodVariant} of it (an exercise's code in place of the finished one, or other settings).
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
            // default (loopback only, where just the app reaches it); ListenersIT checks that default.
            Map.entry("AMBASSADOR_BIND", "0.0.0.0"),
            Map.entry("ATTEMPT_TIMEOUT_MS", "1500"),
            Map.entry("REQUEST_DEADLINE_MS", "6000"),
            Map.entry("RETRY_MAX_RETRIES", "2"),
            Map.entry("RETRY_BASE_DELAY_MS", "100"),
            Map.entry("RETRY_MAX_DELAY_MS", "400"),
            Map.entry("RETRY_AFTER_MAX_MS", "3000"),
            Map.entry("RETRY_BUDGET_RATIO", "0.2"),
            // A floor of 9 retries that leave the window within a second (the shortest window the ambassador takes):
            // the budget stays out of the other scenarios' way and refills quickly between them (RetryBudgetIT runs
            // an ambassador of its own).
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
    private static final String CAT_API_UPSTREAM = "wiremock:8080";
    private static final String AMBASSADOR_UPSTREAM = "pod:" + PROXY_PORT;
    private static final ObjectMapper TRACES = new ObjectMapper();
    private static LabPod instance;
    private static RuntimeException startFailure;

    private final Network network = Network.newNetwork();
    private final GenericContainer<?> wiremock;
    private final ToxiproxyContainer toxiproxy;
    private final ImageFromDockerfile ambassadorImage = serviceImage("ambassador");
    private final ImageFromDockerfile appImage = serviceImage("app");
    private final GenericContainer<?> podNetwork;
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
        // The pod's network and published ports; it runs nothing but sleep, from the ambassador's image (already built).
        // "ambassador" is the name deploy/prometheus/prometheus.yml scrapes.
        podNetwork = new GenericContainer<>(ambassadorImage)
                .withNetwork(network).withNetworkAliases("pod", "ambassador")
                .withExposedPorts(PROXY_PORT, ADMIN_PORT, APP_PORT)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sleep").withCmd("infinity"))
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        // nothing listens here: the services that join it are waited for
                    }
                });
    }

    private GenericContainer<?> newAmbassador(PodVariant variant) {
        var container = new GenericContainer<>(ambassadorImage)
                .withNetworkMode("container:" + podNetwork.getContainerId())
                .withEnv(AMBASSADOR_SETTINGS)
                .withEnv(variant.ambassadorSettings())
                // Listening first; then ready, polled through the pod's published admin port (see use).
                .waitingFor(Wait.forLogMessage(".*Ambassador listening.*\\n", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        return withOverlay(container, variant.ambassadorOverlay(), "ambassador", "dev.ambassadorlab.ambassador.AmbassadorMain");
    }

    private GenericContainer<?> newApp(PodVariant variant) {
        var container = new GenericContainer<>(appImage)
                .withNetworkMode("container:" + podNetwork.getContainerId())
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

    /** A new pod in place of the suite's one: new containers, nothing kept from before, as a cold check has. */
    public static synchronized LabPod startAfresh() {
        if (instance != null) instance.stop();
        instance = null;
        startFailure = null;
        return get();
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
        podNetwork.start();
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
        catApiProxy = toxiproxyClient.createProxy("cat-api", "0.0.0.0:8666", CAT_API_UPSTREAM);
        ambassadorProxy = toxiproxyClient.createProxy("ambassador", "0.0.0.0:8667", AMBASSADOR_UPSTREAM);
    }

    /** Whether a scenario left the proxy other than it was made: a toxic, disabled, or pointed elsewhere. */
    private boolean changed(Proxy proxy, String upstream) throws IOException {
        Proxy now = toxiproxyClient.getProxy(proxy.getName());
        return !now.isEnabled() || !now.getUpstream().equals(upstream) || !now.toxics().getAll().isEmpty();
    }

    /** Runs the services as the variant says, restarting only the one whose code or settings change. */
    public synchronized void use(PodVariant wanted) {
        if (wanted.equals(variant)) return;
        long begin = System.nanoTime();
        if (!wanted.sameAmbassadorAs(variant)) {
            if (ambassador != null) ambassador.stop();
            ambassador = newAmbassador(wanted);
            ambassador.start();
            // The ambassador's own log, for a failing run: -Dorg.slf4j.simpleLogger.log.ambassador=debug shows it.
            Logger ambassadorLog = LoggerFactory.getLogger("ambassador");
            ambassador.followOutput(frame -> ambassadorLog.debug(frame.getUtf8StringWithoutLineEnding()));
        }
        if (!wanted.sameAppAs(variant)) {
            if (app != null) app.stop();
            app = newApp(wanted);
            app.start();
        }
        await("the ambassador ready").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> admin("/health/ready").status() == 200);
        variant = wanted;
        LOG.info("Ambassador {} and app {} ready ({}) in {} ms", ambassadorUrl(""), appUrl(""),
                wanted.equals(PodVariant.FINISHED) ? "finished" : wanted, (System.nanoTime() - begin) / 1_000_000);
    }

    private void stop() {
        for (GenericContainer<?> container : Arrays.asList(app, ambassador, podNetwork, toxiproxy, wiremock)) {
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
            // A proxy a scenario changed is made afresh: deleting one closes its connections at once, while removing
            // a latency toxic waits for the answers it holds, and no pooled connection keeps a delay that is gone.
            // One left as it was keeps its connections: the ambassador's pooled ones to a deleted proxy are dead, and
            // enough of them failing the probe below would open the breaker it is meant to close.
            if (changed(catApiProxy, CAT_API_UPSTREAM)) {
                catApiProxy.delete();
                catApiProxy = toxiproxyClient.createProxy("cat-api", "0.0.0.0:8666", CAT_API_UPSTREAM);
            }
            if (changed(ambassadorProxy, AMBASSADOR_UPSTREAM)) {
                ambassadorProxy.delete();
                ambassadorProxy = toxiproxyClient.createProxy("ambassador", "0.0.0.0:8667", AMBASSADOR_UPSTREAM);
            }
        } catch (IOException unreachable) {
            throw new UncheckedIOException(unreachable);
        }
        wireMockAdmin.resetToDefaultMappings();
        wireMockAdmin.resetScenarios();
        long faultsCleared = System.nanoTime();
        // First let the retries of earlier scenarios leave the budget's window (watching, not calling), then make
        // sure the upstream answers and every breaker is closed (calling, which closes an open breaker).
        Map<String, String> settings = new java.util.HashMap<>(AMBASSADOR_SETTINGS);
        settings.putAll(variant.ambassadorSettings());
        double budgetFloor = Double.parseDouble(settings.get("RETRY_BUDGET_MIN_PER_SECOND"))
                * Double.parseDouble(settings.get("RETRY_BUDGET_WINDOW_MS")) / 1000;
        // Polled often and first at once: a reset runs before every scenario, and usually finds the pod ready.
        await("the retry budget back to its floor").atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> metrics().value("ambassador_retry_budget_remaining") >= budgetFloor);
        long budgetBack = System.nanoTime();
        // Through the app when the proxy listens on the pod's loopback only (the app forwards both headers).
        boolean proxyOpen = "0.0.0.0".equals(settings.get("AMBASSADOR_BIND"));
        await("the upstream answering and the breakers closed").atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
                    String[] fresh = {"X-Ambassador-Max-Retries", "0", "Cache-Control", "no-cache"};
                    Answer answer = proxyOpen ? ambassador("/images/latest", fresh) : app("/images/latest", fresh);
                    return answer.status() == 200 && metrics().max("ambassador_circuit_breaker_state") == 0;
                });
        long breakersClosed = System.nanoTime();
        wireMockAdmin.resetRequests();
        exec("sh", "-c", "rm -f " + IMAGES_DIR + "/* " + IMAGES_DIR + "/.incoming-*");
        LOG.debug("Pod reset in {} ms: faults cleared {}, budget back {}, breakers closed {}, journal and files {}",
                millis(begin, System.nanoTime()), millis(begin, faultsCleared), millis(faultsCleared, budgetBack),
                millis(budgetBack, breakersClosed), millis(breakersClosed, System.nanoTime()));
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
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
        return "http://" + podNetwork.getHost() + ":" + podNetwork.getMappedPort(PROXY_PORT) + path;
    }

    public String adminUrl(String path) {
        return "http://" + podNetwork.getHost() + ":" + podNetwork.getMappedPort(ADMIN_PORT) + path;
    }

    public String appUrl(String path) {
        return "http://" + podNetwork.getHost() + ":" + podNetwork.getMappedPort(APP_PORT) + path;
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
