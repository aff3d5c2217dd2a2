package dev.ambassadorlab.ambassador.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 11: a slow GET gets one hedged copy after the hedge delay, the first good answer wins and the other copy's
 * connection is closed; an unsafe request never gets one, and each copy is paid from the retry budget. The slow answer
 * (3 s) is thirty times the hedge delay (100 ms), so the outcome does not depend on a fast machine.
 */
class HedgingTest {
    private static final long SLOW_MS = 3_000;
    private static final Duration DELAY = Duration.ofMillis(100);
    private static final Duration P95 = Duration.ofMillis(250);
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("HEDGE_REQUESTS", "true", "HEDGE_DELAY_MS",
            String.valueOf(DELAY.toMillis()), "ATTEMPT_TIMEOUT_MS", "10000", "REQUEST_DEADLINE_MS", "20000",
            "RETRY_BUDGET_MIN_PER_SECOND", "10", "BREAKER_FAILURE_THRESHOLD", "100");
    private final MockWebServer catApi = pod.catApi();

    private static RetryBudget budgetWith(int retriesPerSecond) {
        return new RetryBudget(0.0, retriesPerSecond, Duration.ofSeconds(10), System::nanoTime);
    }

    @Test
    void aSlowGetGetsACopyAfterTheHedgeDelayAndTheFirstGoodAnswerWins() {
        catApi.enqueue(new MockResponse.Builder(json("[{\"id\":\"slow\"}]"))
                .headersDelay(SLOW_MS, TimeUnit.MILLISECONDS).build());
        catApi.enqueue(json("[{\"id\":\"fast\"}]"));

        var answer = pod.ambassador().get("/v1/breeds");

        assertThat(answer.took()).withFailMessage("the first answer takes 3 s and HEDGE_DELAY_MS is 100: expected a "
                + "copy after 100 ms and its answer well before 3 s; it took %d ms (the upstream saw %d request(s)); "
                + "does hedgeAfter return the delay for a GET?", answer.took().toMillis(), catApi.getRequestCount())
                .isLessThan(Duration.ofMillis(SLOW_MS / 2));
        assertThat(answer.status()).as("the copy's answer").isEqualTo(200);
        assertThat(answer.body()).as("the copy's answer").contains("fast");
        assertThat(catApi.getRequestCount()).as("requests the upstream saw: the original and one copy").isEqualTo(2);
        assertThat(pod.ambassador().metric("ambassador_hedges_total", "result", "won")).as("hedges won").isEqualTo(1);
    }

    @Test
    void theCopyThatLostHasItsConnectionClosed() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> originalConnection = new CompletableFuture<>();
            Thread server = new Thread(() -> answerTheSecondOnly(upstream, originalConnection), "hedge-test-upstream");
            server.setDaemon(true);
            server.start();
            var ambassador = pod.start("CAT_API_URL", "http://127.0.0.1:" + upstream.getLocalPort() + "/");

            var answer = ambassador.get("/v1/breeds");

            assertThat(answer.status()).withFailMessage("the first connection never answers and the second does: "
                    + "expected the hedge's 200; got %s", answer.summary()).isEqualTo(200);
            assertThat(originalConnection.get(5, TimeUnit.SECONDS)).as("how the unanswered original's connection "
                    + "ended, while its attempt had 10 s left").isEqualTo("closed by the ambassador");
            JsonNode attempts = ambassador.lastTrace().path("attempts");
            List<String> outcomes = new ArrayList<>();
            attempts.forEach(attempt -> outcomes.add(attempt.path("outcome").asText()
                    + (attempt.path("hedge").asBoolean() ? " (hedge)" : "")));
            assertThat(outcomes).as("the trace's attempts").containsExactlyInAnyOrder("cancelled", "success (hedge)");
        }
    }

    /** Reads the first connection's request and never answers; answers the second with an empty list. */
    private static void answerTheSecondOnly(ServerSocket upstream, CompletableFuture<String> originalConnection) {
        try (Socket original = upstream.accept(); Socket copy = upstream.accept()) {
            readHead(original);
            readHead(copy);
            OutputStream out = copy.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            original.setSoTimeout(10_000);
            originalConnection.complete(original.getInputStream().read() == -1 ? "closed by the ambassador"
                    : "more bytes came");
        } catch (IOException failed) {
            originalConnection.complete("failed: " + failed);
        }
    }

    private static void readHead(Socket socket) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII));
        for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
            // the request's head, until the blank line
        }
    }

    @Test
    void aRetriedRequestGetsNoSecondCopy() {
        // The original's 503 comes late, its copy's at once: neither is good, and the retry policy retries.
        catApi.enqueue(new MockResponse.Builder(status(503)).headersDelay(1_000, TimeUnit.MILLISECONDS).build());
        catApi.enqueue(status(503));
        // The retry is slow too, well past the hedge delay; a second copy would have this answer at once.
        catApi.enqueue(new MockResponse.Builder(json("[]")).headersDelay(600, TimeUnit.MILLISECONDS).build());
        catApi.enqueue(json("[]"));

        var answer = pod.ambassador().get("/v1/breeds");

        assertThat(answer.status()).as("the retry's answer").isEqualTo(200);
        assertThat(catApi.getRequestCount()).withFailMessage("the original, its copy, then the retry: expected 3 "
                + "requests upstream (a request has %d hedge at most); the upstream saw %d", Hedging.MAX_PER_REQUEST,
                catApi.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aPostIsNeverHedged() {
        catApi.enqueue(new MockResponse.Builder(json("{\"message\":\"SUCCESS\"}"))
                .headersDelay(500, TimeUnit.MILLISECONDS).build());
        catApi.enqueue(json("{\"message\":\"SUCCESS\"}"));

        var answer = pod.ambassador().post("/v1/votes", "{\"image_id\":\"abc\",\"value\":1}");

        assertThat(answer.status()).as("the vote's answer").isEqualTo(200);
        assertThat(catApi.getRequestCount()).withFailMessage("a POST may not be safe to send twice (a vote would "
                + "count double): expected 1 request upstream; it saw %d", catApi.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD"})
    void aSafeMethodIsHedgedAfterTheConfiguredDelay(String method) {
        var hedging = new Hedging(true, DELAY, budgetWith(10));
        assertThat(hedging.hedgeAfter(method, 0, P95)).withFailMessage("%s changes nothing upstream and "
                + "HEDGE_DELAY_MS is 100: expected a hedge after 100 ms; got %s", method,
                hedging.hedgeAfter(method, 0, P95)).isEqualTo(DELAY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void anUnsafeMethodIsNeverHedged(String method) {
        var hedging = new Hedging(true, DELAY, budgetWith(10));
        assertThat(hedging.hedgeAfter(method, 0, P95)).withFailMessage("%s may change something upstream; sent twice "
                + "it could do it twice: expected no hedge (null); got %s", method, hedging.hedgeAfter(method, 0, P95))
                .isNull();
    }

    @Test
    void aRequestGetsOneCopyAtMost() {
        var hedging = new Hedging(true, DELAY, budgetWith(10));
        assertThat(hedging.hedgeAfter("GET", Hedging.MAX_PER_REQUEST, P95)).withFailMessage("this request already "
                + "had its %d copy: expected no other (null); does hedgeAfter look at hedgesSent?",
                Hedging.MAX_PER_REQUEST).isNull();
    }

    @Test
    void withoutAConfiguredDelayTheP95OfRecentAttemptsIsTheDelay() {
        var hedging = new Hedging(true, null, budgetWith(10));
        assertThat(hedging.hedgeAfter("GET", 0, P95)).withFailMessage("HEDGE_DELAY_MS is auto and recent attempts' "
                + "p95 is 250 ms: expected a hedge after 250 ms; got %s", hedging.hedgeAfter("GET", 0, P95))
                .isEqualTo(P95);
        assertThat(hedging.hedgeAfter("GET", 0, null)).as("too few recent attempts to know their p95: no hedge")
                .isNull();
    }

    @Test
    void nothingIsHedgedUnlessHedgingIsOn() {
        assertThat(new Hedging(false, DELAY, budgetWith(10)).hedgeAfter("GET", 0, P95))
                .as("HEDGE_REQUESTS=false").isNull();
    }

    @Test
    void eachCopyIsPaidFromTheRetryBudget() {
        var hedging = new Hedging(true, DELAY, budgetWith(0));
        assertThat(hedging.mayHedgeNow()).withFailMessage("the retry budget is spent (it allows no retry): a hedge "
                + "is as much extra load as a retry; expected mayHedgeNow() false").isFalse();
        var budget = budgetWith(1);
        var withRoom = new Hedging(true, DELAY, budget);
        assertThat(withRoom.mayHedgeNow()).as("a budget of 10 retries in its window has room for a copy").isTrue();
        assertThat(budget.remaining()).withFailMessage("expected the hedge to take one retry from the budget; %s "
                + "remain of 10", budget.remaining()).isEqualTo(9);
    }
}
