package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A caller's X-Retry-Attempt is counted when it says "again"; a value that is not a small number counts as none. */
class CallerRetriesTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings();

    @Test
    void aRequestItsCallerSendsAgainIsCounted() {
        pod.catApi().enqueue(json("[]"));
        pod.catApi().enqueue(json("[]"));

        pod.ambassador().get("/v1/breeds");
        pod.ambassador().get("/v1/breeds", CallerRetries.HEADER, "2");

        assertThat(pod.ambassador().metric("ambassador_caller_retries_total")).as("one request sent again")
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "3", " 2 ", "9999"})
    void aSecondOrLaterAttemptIsARetry(String value) {
        assertThat(CallerRetries.isRetry(value)).as(value).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "1", "+2", "-2", "2.0", "٢", "１２", "99999", "2;3", "two", "2\u0000"})
    void anythingElseIsNoRetry(String value) {
        assertThat(CallerRetries.isRetry(value)).as("X-Retry-Attempt: %s", value).isFalse();
    }

    @Test
    void noHeaderIsNoRetry() {
        assertThat(CallerRetries.isRetry(null)).isFalse();
    }
}
