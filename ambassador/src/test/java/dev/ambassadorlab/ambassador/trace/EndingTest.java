package dev.ambassadorlab.ambassador.trace;

import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.support.ReadmeTable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** One vocabulary of endings, the table in docs/request-lifecycle.md the same, and which error ends how. */
class EndingTest {
    @Test
    void theReadmeTableListsEveryEndingWithItsMeaning() {
        List<String> readme = ReadmeTable.rows(ReadmeTable.REQUEST_LIFECYCLE, "ended", "meaning").stream()
                .map(row -> String.join(" | ", row)).toList();
        List<String> code = Arrays.stream(Ending.values())
                .map(ending -> "`" + ending.label() + "` | " + ending.meaning()).toList();

        assertThat(readme).withFailMessage("docs/request-lifecycle.md's table of endings differs from Ending; its rows "
                + "should be:%n%s",
                code.stream().map(row -> "| " + row + " |").collect(Collectors.joining("\n"))).isEqualTo(code);
    }

    @Test
    void theCallersOwnMistakesEndCallerError() {
        for (ErrorCode code : EnumSet.of(ErrorCode.BAD_PATH, ErrorCode.BAD_HEADER, ErrorCode.METHOD_OVERRIDE_REFUSED,
                ErrorCode.BAD_REQUEST_BODY, ErrorCode.BAD_PARAMETER, ErrorCode.NOT_FOUND, ErrorCode.REQUEST_TIMEOUT,
                ErrorCode.BODY_TOO_LARGE)) {
            assertThat(Ending.ofError(code, null)).as(code.code()).isEqualTo(Ending.CALLER_ERROR);
        }
    }

    @Test
    void everyAnswerTheAmbassadorWillNotUseEndsHostileUpstream() {
        for (ErrorCode code : EnumSet.of(ErrorCode.UPSTREAM_REDIRECT, ErrorCode.MALFORMED_SEARCH_ANSWER,
                ErrorCode.INVALID_IMAGE_ID, ErrorCode.IMAGE_URL_NOT_ALLOWED, ErrorCode.NOT_AN_IMAGE,
                ErrorCode.ANSWER_TOO_LARGE, ErrorCode.SELF_CALL_REFUSED, ErrorCode.BAD_UPSTREAM_ANSWER)) {
            assertThat(Ending.ofError(code, Ending.RETRY_BUDGET_SPENT)).as(code.code()).isEqualTo(Ending.HOSTILE_UPSTREAM);
        }
    }

    @Test
    void anUnavailableUpstreamEndsWithWhyTheRetriesStopped() {
        for (ErrorCode code : EnumSet.of(ErrorCode.UPSTREAM_UNAVAILABLE, ErrorCode.UPSTREAM_TIMEOUT,
                ErrorCode.TRUNCATED_ANSWER)) {
            assertThat(Ending.ofError(code, null)).as(code.code()).isEqualTo(Ending.RETRIES_EXHAUSTED);
            for (Ending why : Set.of(Ending.RETRY_BUDGET_SPENT, Ending.RETRY_AFTER_TOO_LONG, Ending.NOT_RETRYABLE)) {
                assertThat(Ending.ofError(code, why)).as(code.code() + " noted " + why).isEqualTo(why);
            }
            // Only a reason why retries stopped is taken from what was noted.
            assertThat(Ending.ofError(code, Ending.OVERLOADED)).as(code.code()).isEqualTo(Ending.RETRIES_EXHAUSTED);
        }
    }

    @Test
    void theOtherErrorsEndAsTheirCodeSays() {
        assertThat(Ending.ofError(ErrorCode.CIRCUIT_OPEN, Ending.RETRY_BUDGET_SPENT)).isEqualTo(Ending.BREAKER_OPEN);
        assertThat(Ending.ofError(ErrorCode.DEADLINE_EXCEEDED, Ending.RETRY_BUDGET_SPENT)).isEqualTo(Ending.DEADLINE);
        assertThat(Ending.ofError(ErrorCode.OVERLOADED, null)).isEqualTo(Ending.BULKHEAD_FULL);
        assertThat(Ending.ofError(ErrorCode.OVERLOADED, Ending.OVERLOADED)).as("the memory for bodies ran out")
                .isEqualTo(Ending.OVERLOADED);
        assertThat(Ending.ofError(ErrorCode.UPSTREAM_REJECTED, null)).isEqualTo(Ending.NOT_RETRYABLE);
        assertThat(Ending.ofError(ErrorCode.STORAGE_FULL, null)).isEqualTo(Ending.STORAGE_FULL);
        assertThat(Ending.ofError(ErrorCode.STORAGE_ERROR, null)).isEqualTo(Ending.INTERNAL_ERROR);
        assertThat(Ending.ofError(ErrorCode.INTERNAL_ERROR, null)).isEqualTo(Ending.INTERNAL_ERROR);
    }

    @Test
    void aRelayedAnswerEndsByItsStatus() {
        assertThat(Ending.ofRelayed(200, null)).isEqualTo(Ending.SUCCESS);
        assertThat(Ending.ofRelayed(304, null)).isEqualTo(Ending.SUCCESS);
        assertThat(Ending.ofRelayed(399, Ending.RETRY_BUDGET_SPENT)).isEqualTo(Ending.SUCCESS);
        assertThat(Ending.ofRelayed(400, null)).isEqualTo(Ending.NOT_RETRYABLE);
        assertThat(Ending.ofRelayed(428, null)).isEqualTo(Ending.NOT_RETRYABLE);
        assertThat(Ending.ofRelayed(429, null)).isEqualTo(Ending.RETRIES_EXHAUSTED);
        assertThat(Ending.ofRelayed(430, null)).isEqualTo(Ending.NOT_RETRYABLE);
        assertThat(Ending.ofRelayed(500, Ending.RETRY_AFTER_TOO_LONG)).isEqualTo(Ending.RETRY_AFTER_TOO_LONG);
        assertThat(Ending.ofRelayed(503, Ending.NOT_RETRYABLE)).isEqualTo(Ending.NOT_RETRYABLE);
    }

    @Test
    void labelsAreLowerSnakeCase() {
        assertThat(Ending.values()).allSatisfy(ending -> assertThat(ending.label()).matches("[a-z]+(_[a-z]+)*"));
    }
}
