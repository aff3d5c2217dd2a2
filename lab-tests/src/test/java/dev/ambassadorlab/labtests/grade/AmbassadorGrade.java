package dev.ambassadorlab.labtests.grade;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.LabPod;
import dev.ambassadorlab.labtests.pod.Metrics;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.ambassadorlab.labtests.grade.GradedPod.IMAGES_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The chaos suite as a scorecard for any ambassador that follows the contract (README, "Bring your own ambassador"):
 * each scenario judges behaviour from outside only, through HTTP, /metrics, the mock's journal and the files in
 * IMAGES_DIR, with the candidate's own defaults. `./lab grade IMAGE` runs it; its name keeps it out of the suite.
 */
@ExtendWith(Scorecard.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AmbassadorGrade {
    private static final String SEARCH = "/v1/images/search";
    private static final String[] CORE_METRICS = {
            "ambassador_requests_total", "ambassador_request_duration_seconds", "ambassador_retries_total"};
    private static GradedPod pod;

    @BeforeAll
    static void startThePod() {
        pod = new GradedPod(Candidate.fromProperties());
    }

    @AfterAll
    static void stopThePod() {
        if (pod != null) pod.close();
    }

    @BeforeEach
    void freshCandidate() {
        pod.startScenario();
    }

    private static void searchAnswers(String json) {
        pod.mock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(okJson(json)));
    }

    private static MappingBuilder searchOnce(String state, String next, int status, String retryAfter) {
        var answer = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("{}");
        if (retryAfter != null) answer.withHeader("Retry-After", retryAfter);
        return get(urlPathEqualTo(SEARCH)).atPriority(1).inScenario("flaky").whenScenarioStateIs(state)
                .willSetStateTo(next).willReturn(answer);
    }

    private static List<LoggedRequest> searches() {
        return pod.mock().find(getRequestedFor(urlPathEqualTo(SEARCH)));
    }

    /** The scenario passes when it held; either way the scorecard shows what was seen. */
    private static void verdict(boolean held, String seen) {
        assertThat(held).withFailMessage(seen).isTrue();
        Scorecard.saw(seen);
    }

    private static boolean isError(Answer answer) {
        return answer.status() >= 400 && answer.status() < 600;
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    @Grade(expected = "a 200 with the image's id, its file saved byte for byte (where: the next row), the three core "
            + "metrics, ambassador_requests_total +1")
    void happy_path() throws IOException {
        var before = pod.metrics();

        Answer answer = pod.ambassador("/images/latest");

        String id = answer.text("image_id");
        assertThat(answer.status() == 200 && id != null).withFailMessage("GET /images/latest answered %s: %s",
                answer.summary(), answer.body()).isTrue();
        // Where it saved is the next scenario's question: here, that it saved the image whole, wherever that was.
        String path = savedImage(id);
        byte[] saved = path == null ? null : pod.fileBytes(path);
        byte[] mock = Files.readAllBytes(LabPod.ROOT.resolve("mock-cat-api/wiremock/__files/images/" + id + ".jpg"));
        assertThat(saved).withFailMessage("no file %s.jpg identical to the mock's image anywhere (written since it "
                + "started: %s)", id, pod.writtenSinceStart()).isEqualTo(mock);
        Metrics after = pod.metrics();
        List<String> missing = Arrays.stream(CORE_METRICS)
                .filter(name -> !after.has(name) && !after.has(name + "_count")).toList();
        assertThat(missing).withFailMessage("/metrics lacks %s", missing).isEmpty();
        double counted = after.increaseSince(before, "ambassador_requests_total");
        assertThat(counted).withFailMessage("ambassador_requests_total grew by %.0f for one request", counted)
                .isEqualTo(1);
        Scorecard.saw("200 \"" + id + "\" in " + answer.took().toMillis() + " ms; " + id + ".jpg identical ("
                + saved.length + " bytes); requests_total +1");
    }

    /** Where the candidate saved image {@code id}: in IMAGES_DIR by the contract, or wherever else it wrote it. */
    private static String savedImage(String id) {
        String inImagesDir = IMAGES_DIR + "/" + id + ".jpg";
        if (pod.fileBytes(inImagesDir) != null) return inImagesDir;
        return pod.writtenSinceStart().stream().filter(path -> path.endsWith("/" + id + ".jpg")).findFirst()
                .orElse(null);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    @Grade(expected = "the image saved under IMAGES_DIR, where the contract says, and nothing written elsewhere")
    void images_are_saved_in_images_dir() {
        Answer answer = pod.ambassador("/images/latest");

        String id = answer.text("image_id");
        assertThat(answer.status() == 200 && id != null).withFailMessage("GET /images/latest answered %s: %s",
                answer.summary(), answer.body()).isTrue();
        String path = savedImage(id);
        List<String> elsewhere = pod.writtenOutsideImagesDir();
        String seen = path == null ? "no " + id + ".jpg anywhere (written: " + pod.writtenSinceStart() + ")"
                : "saved " + path + (elsewhere.isEmpty() ? "" : "; written outside IMAGES_DIR: " + elsewhere);
        verdict(path != null && path.startsWith(IMAGES_DIR + "/") && elsewhere.isEmpty(), seen);
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    @Grade(expected = "503, 503, then 200 from the search: a 200 within 2 s, 3 searches, ambassador_retries_total +2")
    void retries_after_two_503s() {
        var before = pod.metrics();
        pod.mock().register(searchOnce(STARTED, "second", 503, null));
        pod.mock().register(searchOnce("second", "healed", 503, null));

        Answer answer = pod.ambassador("/images/latest");

        double retries = pod.metrics().increaseSince(before, "ambassador_retries_total");
        String seen = answer.summary() + ", " + searches().size() + " searches, retries_total +" + (long) retries;
        verdict(answer.status() == 200 && searches().size() == 3 && retries == 2
                && answer.took().compareTo(Duration.ofSeconds(2)) < 0, seen);
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    @Grade(expected = "a 429 with Retry-After: 2, then 200: the retry waits at least 2 s, then a 200")
    void retry_after_is_honoured() {
        pod.mock().register(searchOnce(STARTED, "healed", 429, "2"));

        Answer answer = pod.ambassador("/images/latest");

        List<LoggedRequest> seen = searches();
        long waitedMs = seen.size() < 2 ? -1 : seen.get(1).getLoggedDate().getTime() - seen.get(0).getLoggedDate().getTime();
        String summary = answer.summary() + ", " + seen.size() + " searches, " + (waitedMs < 0 ? "no retry"
                : "the retry " + waitedMs + " ms after the 429");
        verdict(answer.status() == 200 && waitedMs >= 1900, summary);
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    @Grade(expected = "a 404 from the search: an error answer at once, the search not repeated")
    void a_404_is_not_retried() {
        pod.mock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(aResponse().withStatus(404)));

        Answer answer = pod.ambassador("/images/latest");

        String seen = answer.summary() + ", " + searches().size() + " searches";
        verdict(isError(answer) && searches().size() == 1, seen);
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    @Grade(expected = "every answer 20 s late: an error answer within 10 s (a deadline), not a hung caller")
    void a_slow_upstream_meets_a_deadline() throws IOException {
        pod.catApiProxy().toxics().latency("slow", ToxicDirection.DOWNSTREAM, 20_000);

        Answer answer = pod.ambassador("/images/latest");

        verdict(isError(answer) && answer.took().compareTo(Duration.ofSeconds(10)) < 0, answer.summary());
    }

    @Test
    @org.junit.jupiter.api.Order(7)
    @Grade(expected = "connections reset by the upstream: an error answer (5xx) within 10 s")
    void connections_reset_become_an_error_answer() throws IOException {
        pod.catApiProxy().toxics().resetPeer("reset", ToxicDirection.DOWNSTREAM, 0);

        Answer answer = pod.ambassador("/images/latest");

        verdict(answer.status() >= 500 && answer.took().compareTo(Duration.ofSeconds(10)) < 0, answer.summary());
    }

    @Test
    @org.junit.jupiter.api.Order(8)
    @Grade(expected = "the upstream down: after a few failures, callers get an error within 200 ms (a breaker)")
    void a_dead_upstream_fails_fast() throws IOException {
        pod.catApiProxy().disable();
        Answer last = null;
        for (int i = 0; i < 6; i++) last = pod.ambassador("/images/latest");

        assertThat(isError(last) && last.took().compareTo(Duration.ofMillis(200)) < 0)
                .withFailMessage("the 6th caller: %s", last.summary()).isTrue();
        Scorecard.saw("the 6th caller: " + last.summary());
    }

    @Test
    @org.junit.jupiter.api.Order(9)
    @Grade(expected = "an image id \"../escaped\": refused, nothing written outside IMAGES_DIR")
    void a_hostile_image_id_never_becomes_a_path() {
        searchAnswers("[{\"id\":\"../escaped\",\"url\":\"http://toxiproxy:8666/images/tabby.jpg\",\"width\":1,\"height\":1}]");

        Answer answer = pod.ambassador("/images/latest");

        List<String> escaped = pod.writtenOutsideImagesDir();
        String seen = answer.summary() + (escaped.isEmpty() ? ", nothing outside IMAGES_DIR" : ", wrote " + escaped);
        verdict(answer.status() != 200 && escaped.isEmpty(), seen);
    }

    @Test
    @org.junit.jupiter.api.Order(10)
    @Grade(expected = "an image URL on another host: not downloaded, an error answer")
    void an_image_on_another_host_is_not_downloaded() {
        pod.mock().register(get(urlPathMatching("/foreign/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/jpeg").withBodyFile("images/tabby.jpg")));
        searchAnswers("[{\"id\":\"x1\",\"url\":\"http://wiremock:8080/foreign/tabby.jpg\",\"width\":1,\"height\":1}]");

        Answer answer = pod.ambassador("/images/latest");

        int downloads = pod.mock().find(getRequestedFor(urlPathMatching("/foreign/.*"))).size();
        String seen = answer.summary() + ", " + downloads + " downloads from the other host";
        verdict(answer.status() != 200 && downloads == 0, seen);
    }

    @Test
    @org.junit.jupiter.api.Order(11)
    @Grade(expected = "a file: URL in the search answer: refused, nothing saved")
    void a_file_url_is_refused() {
        searchAnswers("[{\"id\":\"x1\",\"url\":\"file:///etc/passwd\",\"width\":1,\"height\":1}]");

        Answer answer = pod.ambassador("/images/latest");

        List<String> files = pod.filesUnder(IMAGES_DIR);
        String seen = answer.summary() + ", files " + files;
        verdict(answer.status() != 200 && files.isEmpty(), seen);
    }

    @Test
    @org.junit.jupiter.api.Order(12)
    @Grade(expected = "a download cut after 1,500 bytes: an error answer, no file (not even a partial one)")
    void a_truncated_download_leaves_no_file() throws IOException {
        pod.catApiProxy().toxics().limitData("cut", ToxicDirection.DOWNSTREAM, 1500);

        Answer answer = pod.ambassador("/images/latest");

        List<String> files = pod.filesUnder(IMAGES_DIR);
        String seen = answer.summary() + ", files " + files;
        verdict(isError(answer) && files.isEmpty(), seen);
    }

    @Test
    @org.junit.jupiter.api.Order(13)
    @Grade(expected = "/metrics in the Prometheus text format, each core metric with its TYPE")
    void metrics_are_prometheus_text() {
        pod.ambassador("/images/latest");

        String text = pod.metricsText();
        List<String> untyped = Arrays.stream(CORE_METRICS)
                .filter(name -> !text.contains("# TYPE " + name.replaceFirst("_total$", "") + " ")
                        && !text.contains("# TYPE " + name + " ")).toList();
        assertThat(untyped).withFailMessage("no # TYPE line for %s", untyped).isEmpty();
        Metrics.parse(text); // throws on a line that is not "name{labels} value"
        Scorecard.saw("the three core metrics, typed; " + text.lines().filter(line -> !line.startsWith("#")).count()
                + " series in all");
    }

    @Test
    @org.junit.jupiter.api.Order(14)
    @Grade(expected = "after one success, the upstream down: the last image, marked stale", required = false)
    void a_stale_image_while_the_upstream_is_down() throws IOException {
        assertThat(pod.ambassador("/images/latest").status()).as("a first, fresh image").isEqualTo(200);
        pod.catApiProxy().disable();

        Answer answer = pod.ambassador("/images/latest");

        assumeThat(answer.status() == 200 && answer.header("X-Ambassador-Stale") != null)
                .as("no stale fallback: %s", answer.summary()).isTrue();
        Scorecard.saw(answer.summary() + ", X-Ambassador-Stale: " + answer.header("X-Ambassador-Stale"));
    }

    @Test
    @org.junit.jupiter.api.Order(15)
    @Grade(expected = "GET /v1/breeds relayed with The Cat API's answer", required = false)
    void the_rest_of_the_cat_api_passes_through() {
        Answer answer = pod.ambassador("/v1/breeds");

        assumeThat(answer.status()).as("no pass-through: GET /v1/breeds answered %s", answer.summary()).isEqualTo(200);
        assertThat(answer.body()).as("the mock's breeds").contains("\"id\"");
        Scorecard.saw(answer.summary() + ", the mock's breeds");
    }

    @Test
    @org.junit.jupiter.api.Order(16)
    @Grade(expected = "a circuit breaker's state per upstream in /metrics", required = false)
    void the_breaker_state_is_exposed() {
        pod.ambassador("/images/latest");

        Metrics metrics = pod.metrics();
        assumeThat(metrics.has("ambassador_circuit_breaker_state")).as("no ambassador_circuit_breaker_state").isTrue();
        Scorecard.saw(metrics.samples("ambassador_circuit_breaker_state").size() + " upstreams, all closed: "
                + (metrics.max("ambassador_circuit_breaker_state") == 0));
    }

    @Test
    @org.junit.jupiter.api.Order(17)
    @Grade(expected = "the app beside it gets a cat through it on localhost", required = false)
    void the_app_gets_a_cat_through_it() {
        Answer answer = pod.app("/images/latest");

        assertThat(answer.status()).as(answer.summary()).isEqualTo(200);
        Scorecard.saw(answer.summary());
    }

    @Test
    @org.junit.jupiter.api.Order(18)
    @Grade(expected = "a caller that waits 800 ms (X-Request-Deadline-Ms), every answer 1 s late: a 504 by then",
            required = false)
    void a_callers_deadline_is_kept() throws IOException {
        pod.catApiProxy().toxics().latency("late", ToxicDirection.DOWNSTREAM, 1000);

        Answer answer = pod.ambassador("/images/latest", "X-Request-Deadline-Ms", "800", "Cache-Control", "no-cache");

        // An ambassador that does not read the header answers when the late answers come, or at its own deadline.
        assumeThat(answer.took()).as("no deadline from the caller: %s after %d ms", answer.summary(),
                answer.took().toMillis()).isLessThan(Duration.ofMillis(1000));
        assertThat(answer.status()).as("the answer by the caller's deadline: %s", answer.summary()).isEqualTo(504);
        Scorecard.saw(answer.summary());
    }

    @Test
    @org.junit.jupiter.api.Order(19)
    @Grade(expected = "after 20 normal searches, one in five 1.2 s late: the slowest of 25 callers well under 1.2 s, "
            + "for few extra searches (hedging)", required = false)
    void slow_answers_are_hedged() {
        // A history of normal answers first: an ambassador may hedge after a percentile of recent ones.
        for (int i = 0; i < 20; i++) pod.ambassador("/images/latest", "Cache-Control", "no-cache");
        String cat = "[{\"id\":\"tabby\",\"url\":\"{{request.baseUrl}}/images/tabby.jpg\",\"width\":400,\"height\":300}]";
        for (int state = 0; state < 5; state++) {
            var answer = aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(cat)
                    .withTransformers("response-template");
            if (state == 4) answer.withFixedDelay(1200);
            pod.mock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).inScenario("one-in-five")
                    .whenScenarioStateIs(state == 0 ? STARTED : "search-" + state)
                    .willSetStateTo(state == 4 ? STARTED : "search-" + (state + 1)).willReturn(answer));
        }
        int before = searches().size();

        List<Answer> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) answers.add(pod.ambassador("/images/latest", "Cache-Control", "no-cache"));

        long slowest = answers.stream().mapToLong(answer -> answer.took().toMillis()).max().orElseThrow();
        int extra = searches().size() - before - answers.size();
        String seen = "the slowest of 25 callers waited " + slowest + " ms; " + extra + " extra searches";
        // An ambassador that does not hedge makes the slow callers wait the whole 1.2 s.
        assumeThat(slowest).as("no hedging: %s", seen).isLessThan(600L);
        assertThat(answers).as("every caller's answer (%s)", seen).allSatisfy(answer -> assertThat(answer.status())
                .isEqualTo(200));
        assertThat(extra).as("extra searches, at most one per slow answer or so (%s)", seen).isBetween(1, 10);
        Scorecard.saw(seen);
    }

    @Test
    @org.junit.jupiter.api.Order(20)
    @Grade(expected = "every search a 503, 10 callers through the app (5 at a time): at most 1.2 upstream calls each, "
            + "not a retry storm", required = false)
    void an_outage_does_not_become_a_retry_storm() throws Exception {
        pod.mock().register(get(urlPathEqualTo(SEARCH)).atPriority(1).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{}")));

        ExecutorService callers = Executors.newFixedThreadPool(5);
        List<Answer> answers;
        try {
            List<Future<Answer>> asked = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) asked.add(callers.submit(() -> pod.app("/images/latest")));
            answers = new java.util.ArrayList<>();
            for (Future<Answer> answer : asked) answers.add(answer.get());
        } finally {
            callers.shutdownNow();
        }

        double perCaller = searches().size() / 10.0;
        String seen = String.format("%.1f upstream calls per caller (%d searches for 10); answers %s", perCaller,
                searches().size(), answers.stream().map(Answer::status).distinct().sorted().toList());
        verdict(perCaller <= 1.2 && answers.stream().allMatch(AmbassadorGrade::isError), seen);
    }
}
