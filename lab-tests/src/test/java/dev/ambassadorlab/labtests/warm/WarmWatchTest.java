package dev.ambassadorlab.labtests.warm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the watch shows first when a check is not yet passed. */
class WarmWatchTest {

    @Test
    void theFirstFailedScenarioWithItsIndentedMessageComesFirst() {
        String report = """
                  02  unit tests pass (RetriesTest,BackoffTest)
                PASSED  RetriesIT [exercise 02, your code]: a 404 is not retried (0.1 s)
                FAILED  RetriesIT [exercise 02, your code]: retries wait longer each time (0.3 s)
                        expected 2 retries; /metrics shows 0
                        What the ambassador decided for the last request:
                FAILED  RetriesIT [exercise 02, your code]: a post is sent once (0.2 s)
                        expected one call

                  02  not yet: 2 of 3 scenarios fail; a hint: ./lab hint 02
                """;

        assertThat(WarmWatch.firstReason(report)).isEqualTo("""
                FAILED  RetriesIT [exercise 02, your code]: retries wait longer each time (0.3 s)
                        expected 2 retries; /metrics shows 0
                        What the ambassador decided for the last request:
                """);
    }

    @Test
    void aReportWithNoFailedScenarioHasNoReasonToPutFirst() {
        assertThat(WarmWatch.firstReason("  02  unit tests fail (RetriesTest, against your classes):\n")).isEmpty();
    }
}
