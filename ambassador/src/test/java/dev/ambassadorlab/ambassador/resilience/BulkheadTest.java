package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BulkheadTest {
    @RegisterExtension
    // A breaker that never opens here: without a bulkhead (the untouched starter) every caller reaches the held
    // searches, their attempts time out, and a breaker at its default threshold would answer "circuit_open", which
    // points at exercise 04 instead of at the missing bulkhead.
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("BREAKER_FAILURE_THRESHOLD", "1000");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void callersBeyondTheCapGetAFast503WhileTheOthersSucceed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        catApi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if (request.getUrl().encodedPath().startsWith("/images")) return jpeg();
                release.await(10, TimeUnit.SECONDS); // holds each search until the test lets go
                return searchOn(catApi, "tabby");
            }
        });
        var ambassador = pod.start("BULKHEAD_MAX_CONCURRENT", "2");
        // Given two requests holding both permits
        List<CompletableFuture<Integer>> holders = IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> ambassador.get("/images/latest").status()))
                .toList();
        await().atMost(Duration.ofSeconds(5)).until(() -> catApi.getRequestCount() == 2);

        // When a third arrives, it is refused at once
        var refused = ambassador.get("/images/latest");
        Expect.status(refused, 503, "a third caller while both permits of BULKHEAD_MAX_CONCURRENT=2 are held by "
                + "slow searches (the bulkhead should refuse it at once: a 503 \"overloaded\")");
        assertThat(refused.body()).as("the refusal's body").contains("\"error\":\"overloaded\"",
                "BULKHEAD_MAX_CONCURRENT");
        assertThat(refused.header("Retry-After")).as("the refusal's Retry-After: come back in a second").isEqualTo("1");
        assertThat(refused.took()).withFailMessage("a refusal should come after the short wait for a permit, in under "
                + "1 s; it took %d ms", refused.took().toMillis()).isLessThan(Duration.ofSeconds(1));

        // Then the two holders finish normally once the upstream answers
        release.countDown();
        assertThat(holders).allSatisfy(holder -> assertThat(holder.get(10, TimeUnit.SECONDS))
                .as("the status of a caller that held a permit, once the upstream answers").isEqualTo(200));
        Expect.metric(ambassador, 1, "one caller refused", "ambassador_bulkhead_rejections_total");
        Expect.metric(ambassador, 0, "every permit given back", "ambassador_bulkhead_in_flight");
    }

    @Test
    void withAHealthyUpstreamCallersBeyondTheCapWaitBrieflyAndNoneIsTurnedAway() throws Exception {
        catApi.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return request.getUrl().encodedPath().startsWith("/images") ? jpeg() : searchOn(catApi, "tabby");
            }
        });
        // A wait of 5 s, not the default 0.5 s: the point is that callers wait rather than being refused, and a wait
        // far beyond what a healthy upstream needs keeps a busy test machine (a slow request now and then) out of it.
        var ambassador = pod.start("BULKHEAD_MAX_CONCURRENT", "2", "BULKHEAD_MAX_WAIT_MS", "5000");
        // Given a warm ambassador: a cold one's first requests take a while, and would hold their permits as long
        for (int i = 0; i < 20; i++) Expect.status(ambassador.get("/images/latest"), 200, "a healthy upstream");
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            // When six times as many callers as permits arrive together, over and over
            List<Future<Integer>> answers = callers.invokeAll(IntStream.range(0, 60)
                    .mapToObj(i -> (Callable<Integer>) () -> ambassador.get("/images/latest").status()).toList());

            // Then each waits its turn for a permit, briefly, and gets its cat
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).as("the status of one of 60 callers at once, 2 permits, a healthy upstream: "
                        + "each should wait its turn, not be refused").isEqualTo(200);
            }
            Expect.metric(ambassador, 0, "a healthy upstream frees permits fast, so nobody is refused",
                    "ambassador_bulkhead_rejections_total");
        } finally {
            callers.shutdownNow();
        }
    }
}
