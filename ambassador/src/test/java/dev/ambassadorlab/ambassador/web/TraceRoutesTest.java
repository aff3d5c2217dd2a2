package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import dev.ambassadorlab.ambassador.support.AmbassadorHarness;
import dev.ambassadorlab.ambassador.support.Expect;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin port's trace routes: the latest traces, the live stream, their bounds, and what they never show. */
class TraceRoutesTest {
    private static final String SECRET = "trace-secret-key-7d3e91";
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("CAT_API_KEY", SECRET, "TRACE_BUFFER_SIZE", "5");
    private final MockWebServer catApi = pod.catApi();
    private final OkHttpClient streamClient = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();

    @Test
    void theBufferKeepsTheConfiguredNumberOfTracesNewestFirst() {
        for (int i = 0; i < 7; i++) pod.ambassador().get("/v1/no-such-route-" + i, "X-Ambassador-Max-Retries", "x");
        pod.ambassador().lastTrace(); // there once the last request's is

        var traces = pod.ambassador().traces(5);

        assertThat(traces).as("TRACE_BUFFER_SIZE=5 after 7 requests").hasSize(5);
        assertThat(traces.get(0).get("path").asText()).as("the newest first").isEqualTo("/v1/no-such-route-6");
        assertThat(traces.get(4).get("path").asText()).isEqualTo("/v1/no-such-route-2");
    }

    @Test
    void aLimitOutsideTheBufferIsA400ThatSaysTheRange() {
        for (String limit : List.of("0", "6", "-1", "many", "99999999999")) {
            var answer = pod.ambassador().admin("/debug/requests?limit=" + limit);
            Expect.status(answer, 400, "limit=" + limit + " with TRACE_BUFFER_SIZE=5");
            assertThat(answer.body()).contains("\"error\":\"bad_parameter\"", "from 1 to 5");
        }
    }

    @Test
    void withTheBufferOffBothRoutesSaySoAndHowToTurnThemOn() {
        AmbassadorHarness ambassador = pod.start("TRACE_BUFFER_SIZE", "0");
        for (String route : List.of("/debug/requests", "/debug/requests/stream")) {
            var answer = ambassador.admin(route);
            Expect.status(answer, 404, route + " with TRACE_BUFFER_SIZE=0");
            assertThat(answer.body()).contains("\"error\":\"not_found\"", "TRACE_BUFFER_SIZE");
        }
    }

    @Test
    void theStreamSendsTheTraceOfEachRequestThatFinishes() throws IOException {
        AmbassadorHarness ambassador = pod.ambassador();
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());
        try (Response stream = listen(ambassador)) {
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            BufferedSource events = stream.body().source();
            assertThat(events.readUtf8LineStrict()).as("the greeting comment").startsWith(":");

            Expect.status(ambassador.get("/images/latest"), 200, "a cat");

            List<String> event = nextEvent(events);
            assertThat(event).as("the event for the request").contains("event: trace");
            assertThat(event).anySatisfy(line -> assertThat(line).startsWith("data: {")
                    .contains("\"path\":\"/images/latest\"", "\"ended\":\"success\"", "\"call\":\"image\""));
        }
    }

    @Test
    void aNinthListenerIsTurnedAway() throws IOException {
        AmbassadorHarness ambassador = pod.ambassador();
        List<Response> listeners = new ArrayList<>();
        try {
            for (int i = 0; i < TraceRoutes.MAX_LISTENERS; i++) {
                Response listener = listen(ambassador);
                listener.body().source().readUtf8LineStrict(); // connected once its greeting arrives
                listeners.add(listener);
            }
            var refused = ambassador.send(new Request.Builder().url(ambassador.adminUrl("/debug/requests/stream"))
                    .header("Accept", "text/event-stream").build());
            Expect.status(refused, 503, TraceRoutes.MAX_LISTENERS + " listeners already");
            assertThat(refused.body()).contains("\"error\":\"overloaded\"", "GET /debug/requests");
        } finally {
            listeners.forEach(Response::close);
        }
    }

    /** The limit holds for listeners that come at once, too: each takes its place before it is let in. */
    @Test
    void listenersArrivingTogetherAreLetInNoMoreThanTheLimit() throws Exception {
        AmbassadorHarness ambassador = pod.ambassador();
        int arriving = 3 * TraceRoutes.MAX_LISTENERS;
        CyclicBarrier together = new CyclicBarrier(arriving);
        ExecutorService callers = Executors.newFixedThreadPool(arriving);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < arriving; i++) {
                answers.add(callers.submit(() -> {
                    together.await();
                    return streamClient.newCall(new Request.Builder()
                            .url(ambassador.adminUrl("/debug/requests/stream"))
                            .header("Accept", "text/event-stream").build()).execute();
                }));
            }
            int letIn = 0;
            for (Future<Response> answer : answers) {
                if (answer.get(10, TimeUnit.SECONDS).code() == 200) letIn++;
            }
            assertThat(letIn).as("streams opened of " + arriving + " asked for at once")
                    .isEqualTo(TraceRoutes.MAX_LISTENERS);
        } finally {
            for (Future<Response> answer : answers) answer.get(10, TimeUnit.SECONDS).close();
            callers.shutdownNow();
        }
    }

    @Test
    void theStreamAskedForWithoutAcceptingEventsSaysWhichHeaderToSend() {
        var answer = pod.ambassador().admin("/debug/requests/stream");

        Expect.status(answer, 406, "no Accept: text/event-stream");
        assertThat(answer.body()).contains("\"error\":\"not_acceptable\"", "Accept: text/event-stream");
    }

    @Test
    void aTraceHoldsNoKeyHeaderValueBodyOrQueryString() {
        catApi.enqueue(json("{\"echo\":\"" + SECRET + "\"}"));

        pod.ambassador().post("/v1/favourites?sub_id=query-secret-91", "{\"body\":\"body-secret-33\"}",
                "Idempotency-Key", "header-secret-57", "X-Request-Id", "plain-id-1");

        pod.ambassador().lastTrace(); // there once the request's is
        String traces = pod.ambassador().admin("/debug/requests").body();
        assertThat(traces).contains("\"path\":\"/v1/favourites\"", "\"request_id\":\"plain-id-1\"")
                .doesNotContain(SECRET, "query-secret-91", "body-secret-33", "header-secret-57", "sub_id");
    }

    private Response listen(AmbassadorHarness ambassador) throws IOException {
        Response response = streamClient.newCall(new Request.Builder()
                .url(ambassador.adminUrl("/debug/requests/stream")).header("Accept", "text/event-stream").build())
                .execute();
        assertThat(response.code()).as("the stream's status").isEqualTo(200);
        return response;
    }

    /** The lines of the next event, up to the blank line that ends it. */
    private static List<String> nextEvent(BufferedSource events) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = events.readUtf8LineStrict(); !line.isEmpty() || lines.isEmpty();
             line = events.readUtf8LineStrict()) {
            if (!line.isEmpty()) lines.add(line);
        }
        return lines;
    }
}
