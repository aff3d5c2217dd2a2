package dev.ambassadorlab.ambassador.images;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;

/**
 * Coverage-guided fuzzing of the search answer's parser (SECURITY.md: a hostile upstream's answer is a JSON 502, never
 * a 500). Runs its committed inputs with the unit tests; `./lab fuzz` searches for new ones.
 */
class SearchAnswerFuzzTest {
    @FuzzTest
    void anyAnswerIsAHitOrAMalformedSearchAnswer(byte[] answer) {
        try {
            SearchHit hit = SearchHit.parse(answer);
            if (hit.id() == null || hit.url() == null) throw new AssertionError("a hit without id or url: " + hit);
        } catch (AmbassadorException refused) {
            if (refused.code() != ErrorCode.MALFORMED_SEARCH_ANSWER) throw new AssertionError("refused as " + refused.code(), refused);
        }
    }
}
