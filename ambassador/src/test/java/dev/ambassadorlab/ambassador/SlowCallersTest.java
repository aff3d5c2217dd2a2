package dev.ambassadorlab.ambassador;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ambassador as its image runs it (its own JVM, with {@code jvm.options}: a 64 MB heap that ends the process on
 * OutOfMemoryError) in front of 64 callers that each POST a megabyte and never read their megabyte of answer, with a
 * server thread for each. Before the bodies shared one bounded memory, 30 such callers ended the process now and then
 * with 32 threads, and 64 with a thread each ended it every time.
 */
class SlowCallersTest {
    private static final int CALLERS = 64;
    private static final int MEGABYTE = 1024 * 1024;
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // a start and a minute's wait each: more than the default on a slow machine
    void sixtyFourCallersThatPostAMegabyteAndNeverReadTheAnswerLeaveThe64MbHeapStanding() throws Exception {
        byte[] answer = new byte[MEGABYTE];
        Arrays.fill(answer, (byte) 'a');
        AtomicInteger forwarded = new AtomicInteger();
        List<Socket> callers = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(CALLERS);
        try (MockWebServer catApi = new MockWebServer()) {
            catApi.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    forwarded.incrementAndGet();
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                            .body(new Buffer().write(answer)).build();
                }
            });
            catApi.start();
            int proxyPort = freePort();
            int adminPort = freePort();
            Process ambassador = startAsItsImageDoes(catApi, proxyPort, adminPort);
            try {
                await("the ambassador's readiness").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> get(adminPort, "/health/ready").statusCode() == 200);

                byte[] request = ("POST /v1/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + MEGABYTE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] body = new byte[MEGABYTE];
                Arrays.fill(body, (byte) 'b');
                for (int i = 0; i < CALLERS; i++) {
                    Socket caller = new Socket();
                    caller.setReceiveBufferSize(4096); // and never read: the answer piles up on the server's side
                    caller.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort));
                    callers.add(caller);
                    senders.submit(() -> {
                        OutputStream out = caller.getOutputStream();
                        out.write(request);
                        out.write(body);
                        out.flush();
                        return null;
                    });
                }
                await("every caller's request forwarded or refused").atMost(Duration.ofSeconds(60))
                        .until(() -> forwarded.get() + refused(adminPort) >= CALLERS || !ambassador.isAlive());

                assertThat(ambassador.isAlive()).as("the ambassador, with %d callers not reading their answers "
                        + "(%d forwarded); it wrote: %s", CALLERS, forwarded.get(), output()).isTrue();
                assertThat(get(adminPort, "/health/live").statusCode()).as("liveness meanwhile").isEqualTo(200);
            } finally {
                for (Socket caller : callers) caller.close();
                ambassador.destroy();
                ambassador.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    /** Requests answered 503 so far: refused for want of body memory (or a bulkhead permit); 0 when unknown. */
    private static int refused(int adminPort) throws Exception {
        String metrics;
        try {
            metrics = get(adminPort, "/metrics").body();
        } catch (IOException notAnswering) {
            return 0; // gone, or too busy to say: the caller of this looks at the process itself
        }
        return metrics.lines().filter(line -> line.startsWith("ambassador_requests_total{status=\"unavailable\"}"))
                .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private Process startAsItsImageDoes(MockWebServer catApi, int proxyPort, int adminPort) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(java, "@jvm.options", "-cp", System.getProperty("java.class.path"),
                AmbassadorMain.class.getName());
        builder.environment().put("CAT_API_URL", catApi.url("/").toString());
        builder.environment().put("AMBASSADOR_PORT", String.valueOf(proxyPort));
        builder.environment().put("ADMIN_PORT", String.valueOf(adminPort));
        builder.environment().put("IMAGES_DIR", dir.resolve("images").toString());
        // A thread for every caller, as an operator might allow: memory must not depend on the thread count.
        builder.environment().put("SERVER_MAX_THREADS", String.valueOf(CALLERS + 8));
        builder.redirectOutput(dir.resolve("stdout").toFile());
        builder.redirectError(dir.resolve("stderr").toFile());
        return builder.start();
    }

    /** Its standard error and the end of its standard output (where the JVM says why it ended). */
    private String output() throws IOException {
        String stdout = Files.readString(dir.resolve("stdout"));
        return Files.readString(dir.resolve("stderr")) + " ... " + stdout.substring(Math.max(0, stdout.length() - 300));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
