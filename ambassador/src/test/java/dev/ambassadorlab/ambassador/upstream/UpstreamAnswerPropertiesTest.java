package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.images.SearchHit;
import dev.ambassadorlab.ambassador.resilience.RetryAfter;
import dev.ambassadorlab.ambassador.support.HostileText;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Properties of what the ambassador reads from upstream answers (a search's JSON, a Retry-After header), each checked
 * on generated hostile inputs. Each names the promise of SECURITY.md it holds.
 */
class UpstreamAnswerPropertiesTest {
    private static final List<String> JSON_PIECES = List.of("[", "]", "{", "}", ",", ":", "\"id\"", "\"url\"",
            "\"width\"", "\"height\"", "\"x1\"", "\"http://mock:8080/a.jpg\"", "-1", "0", "1e999", "2147483648",
            "null", "true", "\"", "\\", "\\u0000", " ", "\uD800");
    private static final List<String> RETRY_AFTER_PIECES = List.of("0", "1", "9", "99999999999", "-", " ", "\t",
            "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "GMT", "+", "1.5", "\u0663");

    /** Holds "a malformed upstream answer gets a clear error": any search answer is a hit or a 502, never a 500. */
    @Test
    void anySearchAnswerIsAHitOrA502ThatSaysSo() {
        qt().withExamples(5_000).forAll(HostileText.joined(0, 14, JSON_PIECES)).checkAssert(text -> {
            Throwable failure = catchThrowable(() -> SearchHit.parse(text.getBytes(StandardCharsets.UTF_8)));
            if (failure == null) return;
            assertThat(failure).as("parsing %s", text).isInstanceOfSatisfying(AmbassadorException.class,
                    refused -> assertThat(refused.code()).isEqualTo(ErrorCode.MALFORMED_SEARCH_ANSWER));
        });
    }

    /** Holds "a huge Retry-After is never a 500": any value is a wait of zero or more, or no wait at all. */
    @Test
    void anyRetryAfterIsANonNegativeWaitOrNone() {
        var retryAfter = new RetryAfter(Duration.ofSeconds(5), Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"),
                ZoneOffset.UTC));
        qt().withExamples(3_000).forAll(HostileText.joined(0, 4, RETRY_AFTER_PIECES)).checkAssert(value -> {
            var answer = new UpstreamResponse(503, Headers.of(), new byte[0]);
            if (!value.isEmpty() && value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
                answer = new UpstreamResponse(503, Headers.of("Retry-After", value), new byte[0]);
            }
            retryAfter.requested(answer).ifPresent(wait ->
                    assertThat(wait).as("the wait for %s", value).isGreaterThanOrEqualTo(Duration.ZERO));
        });
    }

    /** Holds "a huge Retry-After is never a 500": OkHttp reads a 503's Retry-After as an int, so it must fit one. */
    @Test
    void whatOkHttpSeesOfA503sRetryAfterIsNeverANumberTooLongForAnInt() {
        qt().withExamples(3_000).forAll(strings().numericBetween(0, Integer.MAX_VALUE).map((String digits) -> digits + "9".repeat(digits.length())), HostileText.joined(0, 4,
                RETRY_AFTER_PIECES)).checkAssert((number, text) -> {
                    for (String value : new String[]{number, text, "0".repeat(number.length()) + number}) {
                        String seen = OneSendPerAttempt.retryAfterForOkHttp(value);
                        if (seen != null && seen.matches("\\d+")) {
                            assertThat(catchThrowable(() -> Integer.valueOf(seen))).as("OkHttp reading %s", seen)
                                    .isNull();
                            assertThat(Integer.parseInt(seen)).as("what OkHttp sees of %s", value).isPositive();
                        }
                    }
                });
    }
}
