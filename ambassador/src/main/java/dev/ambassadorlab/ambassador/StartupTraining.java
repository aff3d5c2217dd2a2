package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import io.javalin.Javalin;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run of the ambassador through its usual work, for a class data sharing archive: the image build runs this with
 * {@code -XX:ArchiveClassesAtExit}, and the ambassador then starts with the classes it loaded already parsed and
 * verified ({@code -XX:SharedArchiveFile}). It starts an ambassador on free loopback ports in front of a stand-in Cat
 * API of its own, asks what the kubelet and Prometheus ask, fetches an image and passes a search through, then stops.
 */
public final class StartupTraining {
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0};

    private StartupTraining() {
    }

    /** Runs the training, then ends the JVM, which writes the archive: Javalin keeps a thread that would hold it up. */
    public static void main(String[] args) throws IOException {
        run();
        System.exit(0);
    }

    static void run() throws IOException {
        Path imagesDir = Files.createTempDirectory("startup-training");
        Javalin catApi = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.routes.get("/v1/images/search", ctx -> ctx.contentType("application/json").result(
                    "[{\"id\":\"training\",\"url\":\"http://127.0.0.1:" + ctx.port() + "/images/training.jpg\","
                            + "\"width\":1,\"height\":1}]"));
            javalin.routes.get("/images/training.jpg", ctx -> ctx.contentType("image/jpeg").result(JPEG));
        }).start("127.0.0.1", 0);
        String catApiUrl = "http://127.0.0.1:" + catApi.port();
        Ambassador ambassador = AmbassadorApp.create(AmbassadorConfig.fromEnv(Map.of(
                        "CAT_API_URL", catApiUrl, "IMAGE_HOSTS", catApiUrl, "IMAGES_DIR", imagesDir.toString(),
                        "AMBASSADOR_PORT", "0", "ADMIN_PORT", "0", "ADMIN_BIND", "127.0.0.1")),
                new PrometheusRegistry(), new PrintStream(OutputStream.nullOutputStream()));
        try {
            ambassador.start();
            OkHttpClient client = new OkHttpClient();
            String admin = "http://127.0.0.1:" + ambassador.adminPort();
            String proxy = "http://127.0.0.1:" + ambassador.proxyPort();
            Map<String, Integer> expected = new LinkedHashMap<>();
            expected.put(admin + "/health/ready", 200);
            expected.put(admin + "/health/live", 200);
            expected.put(proxy + "/images/latest", 200);
            expected.put(proxy + "/v1/images/search?limit=1", 200);
            expected.put(proxy + "/nowhere", 404);
            expected.put(admin + "/metrics", 200);
            for (var call : expected.entrySet()) {
                try (Response answer = client.newCall(new Request.Builder().url(call.getKey()).build()).execute()) {
                    answer.body().bytes();
                    // A path that went wrong would leave its classes out of the archive: the build says so and stops.
                    if (answer.code() != call.getValue()) {
                        throw new IllegalStateException("startup training: GET " + call.getKey() + " answered "
                                + answer.code() + ", not " + call.getValue());
                    }
                }
            }
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        } finally {
            ambassador.stop();
            catApi.stop();
            try (Stream<Path> saved = Files.walk(imagesDir)) {
                saved.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
