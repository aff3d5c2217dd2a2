package dev.ambassadorlab.labtests;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.Metrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercise 11: one answer in five is slow (1.2 s, under the pod's 1.5 s attempt timeout, so without hedging it still
 * succeeds, late); with hedging after 150 ms the slowest answers a caller sees come after about 150 ms plus a fast
 * answer, the copies are few and counted, and each losing copy is cut off.
 */
@Tag("exercise-11")
class HedgedRequestsIT extends ChaosTest {
    private static final String BREEDS = "/v1/breeds";
    private static final int CALLERS = 50;
    private static final int SLOW_MS = 1200;
    private static final Map<String, String> SETTINGS = Map.of("HEDGE_REQUESTS", "true", "HEDGE_DELAY_MS", "150");

    @Override
    protected Map<String, String> ambassadorSettings() {
        return SETTINGS;
    }

    /** The Cat API's breeds: every fifth answer, in the order requests arrive, comes 1.2 s late. */
    private void oneAnswerInFiveSlow() {
        for (int state = 0; state < 5; state++) {
            String current = state == 0 ? Scenario.STARTED : "answer-" + state;
            String next = state == 4 ? Scenario.STARTED : "answer-" + (state + 1);
            var answer = aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("[{\"id\":\"abys\",\"name\":\"Abyssinian\"}]");
            if (state == 4) answer.withFixedDelay(SLOW_MS);
            pod.catApiMock().register(get(urlPathEqualTo(BREEDS)).atPriority(1).inScenario("one-in-five")
                    .whenScenarioStateIs(current).willSetStateTo(next).willReturn(answer));
        }
    }

    @Test
    void with_one_answer_in_five_slow_hedging_cuts_the_tail_for_a_few_counted_copies() {
        oneAnswerInFiveSlow();
        Metrics before = pod.metrics();

        // When 50 callers ask one after another
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) answers.add(pod.ambassador(BREEDS, "X-Request-Id", "hedge-" + i));

        // Then the slowest of them waited about the hedge delay plus a fast answer, not the slow answer
        List<Long> millis = answers.stream().map(answer -> answer.took().toMillis()).sorted().toList();
        long p50 = millis.get(CALLERS / 2 - 1);
        long p99 = millis.get((int) Math.ceil(0.99 * CALLERS) - 1);
        Metrics after = pod.metrics();
        double won = after.increaseSince(before, "ambassador_hedges_total", "result", "won");
        double hedges = after.increaseSince(before, "ambassador_hedges_total");
        double cutOff = after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "cancelled");
        int upstreamCalls = pod.catApiMock().find(getRequestedFor(urlPathEqualTo(BREEDS))).size();
        ScenarioLog.measured(CALLERS + " callers, 1 answer in 5 slow (" + SLOW_MS + " ms), hedge after 150 ms: p50 "
                + p50 + " ms, p99 " + p99 + " ms, max " + millis.get(CALLERS - 1) + " ms; the upstream saw "
                + upstreamCalls + " calls (" + (int) hedges + " hedges: " + (int) won + " won, " + (int) cutOff
                + " losing copies cut off)");
        assertThat(answers).as("every caller's answer").allSatisfy(answer -> assertThat(answer.status())
                .isEqualTo(200));
        assertThat(p99).withFailMessage("one answer in five takes %d ms and HEDGE_REQUESTS=true, HEDGE_DELAY_MS=150: "
                + "expected the slowest callers to wait about 150 ms plus a fast answer, well under %d ms; p99 was %d ms "
                + "(the upstream saw %d calls for %d callers); does hedgeAfter return the delay for a GET?", SLOW_MS,
                SLOW_MS / 2, p99, upstreamCalls, CALLERS).isLessThan(SLOW_MS / 2);
        assertThat(upstreamCalls - CALLERS).withFailMessage("each hedge is one extra call: expected the upstream's "
                + "extra calls (%d) to be the hedges counted in /metrics (%d)", upstreamCalls - CALLERS, (int) hedges)
                .isEqualTo((int) hedges);
        assertThat(hedges).withFailMessage("one answer in five is slow: expected about one hedge in five callers, "
                + "and never more than the retry budget's 20%% and its floor; there were %d for %d callers",
                (int) hedges, CALLERS).isBetween(1.0, CALLERS * 0.4);
        assertThat(cutOff).as("losing originals cut off (their connections closed)").isEqualTo(won);
        var slowest = answers.stream().max(Comparator.comparing(Answer::took)).orElseThrow();
        assertThat(slowest.took()).as("the slowest caller").isLessThan(Duration.ofMillis(SLOW_MS));
    }
}
