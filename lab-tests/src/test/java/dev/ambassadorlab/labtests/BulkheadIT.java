package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.Answer;
import dev.ambassadorlab.labtests.pod.Callers;
import dev.ambassadorlab.labtests.pod.LabPod;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Exercise 09: a cap on concurrent upstream work; when the upstream is slow, the excess is refused after a short wait. */
@Tag("exercise-09")
class BulkheadIT extends ChaosTest {
    private static final int BULKHEAD = Integer.parseInt(LabPod.AMBASSADOR_SETTINGS.get("BULKHEAD_MAX_CONCURRENT"));

    @Test
    void callers_beyond_the_bulkhead_get_a_fast_503_while_the_rest_succeed() throws Exception {
        // Given every answer takes a second to arrive, so each caller holds its permit for about two seconds
        var before = pod.metrics();
        pod.catApiProxy().toxics().latency("slow", ToxicDirection.DOWNSTREAM, 1000);
        int extra = 3;

        // When more callers arrive at once than the bulkhead admits
        List<Answer> answers = Callers.atOnce(BULKHEAD + extra, () -> pod.ambassador("/images/latest"));

        // Then exactly the excess is refused, quickly, and the others get their cat
        List<Answer> refused = answers.stream().filter(answer -> answer.status() == 503).toList();
        assertThat(refused).withFailMessage("%d callers at once with BULKHEAD_MAX_CONCURRENT=%d: expected %d fast 503 "
                + "\"overloaded\" refusals; got %d; does run() refuse when no permit came within the wait?",
                BULKHEAD + extra, BULKHEAD, extra, refused.size()).hasSize(extra);
        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer.error()).withFailMessage("a refused caller should get the error \"overloaded\"; one got "
                    + "%s", answer.summary()).isEqualTo("overloaded");
            assertThat(answer.header("Retry-After")).withFailMessage("a refused caller should be told to come back in "
                    + "a second (Retry-After: 1); one got Retry-After: %s", answer.header("Retry-After"))
                    .isEqualTo("1");
            assertThat(answer.took()).withFailMessage("a refusal should come after the short wait for a permit "
                    + "(BULKHEAD_MAX_WAIT_MS, 0.5 s), in under 1 s; one took %d ms", answer.took().toMillis())
                    .isLessThan(Duration.ofMillis(1000));
        });
        long succeeded = answers.stream().filter(answer -> answer.status() == 200).count();
        assertThat(succeeded).withFailMessage("expected the %d callers that got a permit to get their cat (200); %d "
                + "did", BULKHEAD, succeeded).isEqualTo(BULKHEAD);
        var after = pod.metrics();
        double rejections = after.increaseSince(before, "ambassador_bulkhead_rejections_total");
        assertThat(rejections).withFailMessage("%d refusals, so expected ambassador_bulkhead_rejections_total to rise "
                + "by %d; it rose by %.0f", extra, extra, rejections).isEqualTo(extra);
        double inFlight = after.value("ambassador_bulkhead_in_flight");
        assertThat(inFlight).withFailMessage("every caller has its answer, so expected ambassador_bulkhead_in_flight "
                + "back at 0; it is %.0f; does run() give its permit back?", inFlight).isZero();
    }

    @Test
    void permits_come_back_after_each_request_so_later_callers_get_in() {
        for (int i = 0; i < BULKHEAD + 2; i++) {
            var answer = pod.ambassador("/images/latest");
            assertThat(answer.status()).withFailMessage("request %d one after another got %s: expected every one to "
                    + "succeed; does run() give its permit back (releasePermit) when the work is done?", i + 1,
                    answer.summary()).isEqualTo(200);
        }
    }
}
