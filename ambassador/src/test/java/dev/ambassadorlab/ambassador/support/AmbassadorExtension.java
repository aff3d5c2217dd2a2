package dev.ambassadorlab.ambassador.support;

import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Per test: a MockWebServer posing as The Cat API, a fresh temporary directory, and (once the test asks for it) an
 * ambassador in front of them, started with the class's settings. Everything is stopped and deleted after the test.
 */
public final class AmbassadorExtension implements BeforeEachCallback, AfterEachCallback {
    private final String[] settings;
    private final MockWebServer catApi = new MockWebServer();
    private Path root;
    private AmbassadorHarness ambassador;

    private AmbassadorExtension(String... settings) {
        this.settings = settings;
    }

    /** @param settings environment variables (name, value, name, value...) over the ambassador's defaults */
    public static AmbassadorExtension withSettings(String... settings) {
        return new AmbassadorExtension(settings);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        catApi.start();
        root = Files.createTempDirectory("ambassador-test");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (ambassador != null) ambassador.close();
        ambassador = null;
        catApi.close();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }

    /** The mock Cat API; it is created with the extension, so a test class can keep it in a field. */
    public MockWebServer catApi() {
        return catApi;
    }

    /** The test's temporary directory; images go to {@code images/} below it unless IMAGES_DIR says otherwise. */
    public Path root() {
        return root;
    }

    /** The ambassador with the class's settings, started on first use. */
    public AmbassadorHarness ambassador() {
        return ambassador == null ? start() : ambassador;
    }

    /** Starts the ambassador with the class's settings and then these (name, value...) on top. */
    public AmbassadorHarness start(String... more) {
        if (ambassador != null) throw new IllegalStateException("the ambassador is already running in this test");
        String[] env = Stream.of(Stream.of("IMAGES_DIR", root.resolve("images").toString()), Stream.of(settings),
                Stream.of(more)).flatMap(s -> s).toArray(String[]::new);
        ambassador = AmbassadorHarness.start(catApi, env);
        return ambassador;
    }

    /** Every regular file under the test's temporary directory, wherever it is. */
    public Stream<Path> filesWritten() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList().stream();
        }
    }
}
