package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.json;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Exercise 12: the caller's deadline ({@value Deadlines#HEADER}) shortens the request's, and each attempt tells the
 * upstream how long it has. The upstream's delay (3 s) is many times the caller's deadline (300 ms), and the
 * ambassador's own deadline (6 s) twice that, so the outcome does not depend on a fast machine.
 */
class DeadlinesTest {
    private static final long UPSTREAM_DELAY_MS = 3_000;
    private static final Duration CONFIGURED = Duration.ofSeconds(6);
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("REQUEST_DEADLINE_MS", "6000",
            "ATTEMPT_TIMEOUT_MS", "4000", "BREAKER_FAILURE_THRESHOLD", "100");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void aCallerThatWaits300MsGetsIts504ByThenNotAfterTheAmbassadorsOwnDeadline() {
        for (int i = 0; i < 3; i++) {
            catApi.enqueue(new MockResponse.Builder(searchOn(catApi, "tabby"))
                    .headersDelay(UPSTREAM_DELAY_MS, TimeUnit.MILLISECONDS).build());
        }

        var answer = pod.ambassador().get("/images/latest", Deadlines.HEADER, "300");

        assertThat(answer.status()).withFailMessage("the caller sent %s: 300 and the search takes 3 s; expected a 504 "
                + "\"deadline_exceeded\" at 300 ms (the smaller deadline wins); got %s", Deadlines.HEADER,
                answer.summary()).isEqualTo(504);
        assertThat(answer.took()).withFailMessage("the caller waits 300 ms (%s: 300) and the ambassador's own "
                + "deadline is 6 s: expected the 504 well before 3 s; it took %d ms; does forRequest keep the smaller "
                + "deadline?", Deadlines.HEADER, answer.took().toMillis()).isLessThan(Duration.ofMillis(UPSTREAM_DELAY_MS));
        assertThat(answer.body()).as("the 504's words").contains("\"error\":\"deadline_exceeded\"",
                "request deadline of 300 ms");
    }

    @Test
    void eachAttemptTellsTheUpstreamHowLongItHasNeverMoreThanTheCallerGave() throws Exception {
        catApi.enqueue(json("[]"));

        var answer = pod.ambassador().get("/v1/breeds", Deadlines.HEADER, "2500");

        assertThat(answer.status()).as("the pass-through's answer").isEqualTo(200);
        RecordedRequest sent = catApi.takeRequest(1, TimeUnit.SECONDS);
        String told = sent.getHeaders().get(Deadlines.HEADER);
        assertThat(told).withFailMessage("the caller allowed 2500 ms; expected the attempt to carry %s with the "
                + "milliseconds it has; it carried none; does forAttempt return the value?", Deadlines.HEADER)
                .isNotNull();
        assertThat(Long.parseLong(told)).withFailMessage("the caller allowed 2500 ms (and ATTEMPT_TIMEOUT_MS is "
                + "4000): expected the upstream to hear a little under 2500; it heard %s", told).isBetween(1L, 2500L)
                .isGreaterThan(1500L);
    }

    @Test
    void withoutTheHeaderTheConfiguredDeadlineHolds() {
        assertThat(Deadlines.forRequest(null, CONFIGURED)).isEqualTo(CONFIGURED);
    }

    @Test
    void theSmallerDeadlineWins() {
        assertThat(Deadlines.forRequest("800", CONFIGURED)).as("a caller that waits 800 ms, 6 s configured")
                .isEqualTo(Duration.ofMillis(800));
        assertThat(Deadlines.forRequest(" 800 ", CONFIGURED)).as("with the spaces HTTP allows around a value")
                .isEqualTo(Duration.ofMillis(800));
        assertThat(Deadlines.forRequest("60000", CONFIGURED)).as("a caller that would wait a minute: the configured "
                + "deadline still holds").isEqualTo(CONFIGURED);
        assertThat(Deadlines.forRequest("0", CONFIGURED)).as("no time at all").isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "-1", "+800", "1e3", "800ms", "0x10", "8 00", "\u0668\u0660\u0660", "1234567890",
            "99999999999999999999", "800, 900"})
    void aValueThatIsNotWholeMillisecondsIsA400ThatSaysWhatToSend(String value) {
        AmbassadorException refused = catchThrowableOfType(AmbassadorException.class,
                () -> Deadlines.forRequest(value, CONFIGURED));
        assertThat(refused).withFailMessage("%s: '%s' is not whole milliseconds (ASCII digits, at most 9); expected "
                + "an AmbassadorException (400 bad_header); forRequest returned instead", Deadlines.HEADER, value)
                .isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.BAD_HEADER);
        assertThat(refused.reason()).as("what the caller reads").contains(Deadlines.HEADER, "milliseconds");
    }

    @Test
    void anAttemptIsToldItsTimeInWholeMillisecondsRoundedDownAndNeverZero() {
        assertThat(Deadlines.forAttempt(Duration.ofMillis(1999).plusNanos(900_000))).isEqualTo("1999");
        assertThat(Deadlines.forAttempt(Duration.ofNanos(400_000))).as("less than a millisecond left").isEqualTo("1");
        assertThat(Deadlines.forAttempt(Duration.ofSeconds(4))).isEqualTo("4000");
    }

    @Test
    void aRefusedHeaderReachesNoUpstream() {
        var answer = pod.ambassador().get("/v1/breeds", Deadlines.HEADER, "soon");

        assertThat(answer.status()).withFailMessage("%s: soon; expected a 400 bad_header; got %s", Deadlines.HEADER,
                answer.summary()).isEqualTo(400);
        assertThat(answer.body()).contains("\"error\":\"bad_header\"", Deadlines.HEADER);
        assertThat(catApi.getRequestCount()).as("requests the upstream saw").isZero();
    }
}
