package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.AmbassadorExtension;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.ambassadorlab.ambassador.support.CatApiResponses.jpeg;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.searchOn;
import static dev.ambassadorlab.ambassador.support.CatApiResponses.status;
import static org.assertj.core.api.Assertions.assertThat;

/** What ResilientUpstream counts for each upstream call: its own attempts, and a request for the retry budget. */
class ResilientUpstreamTest {
    @RegisterExtension
    final AmbassadorExtension pod = AmbassadorExtension.withSettings("RETRY_BASE_DELAY_MS", "10",
            "RETRY_MAX_DELAY_MS", "40", "BREAKER_FAILURE_THRESHOLD", "100");
    private final MockWebServer catApi = pod.catApi();

    @Test
    void eachCallCountsOnlyItsOwnAttempts() {
        catApi.enqueue(status(503));
        catApi.enqueue(searchOn(catApi, "tabby"));
        for (int i = 0; i < 3; i++) catApi.enqueue(status(503));

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).withFailMessage("the search took 2 attempts, then every download answered 503: "
                + "expected a 503; got %s", answer.summary()).isEqualTo(503);
        assertThat(answer.body()).as("the 503 names the download's own attempts, not the search's as well")
                .contains("answered 503 (3 attempts)");
    }

    @Test
    void eachCallIsARequestThatEarnsTheRetryBudget() {
        pod.start("RETRY_BUDGET_RATIO", "1.0", "RETRY_BUDGET_MIN_PER_SECOND", "0");
        catApi.enqueue(status(503));
        catApi.enqueue(searchOn(catApi, "tabby"));
        catApi.enqueue(jpeg());

        var answer = pod.ambassador().get("/images/latest");

        assertThat(answer.status()).withFailMessage("with a retry budget of one retry per request and no floor, the "
                + "search itself earns the one retry it needs: expected a 200; got %s", answer.summary())
                .isEqualTo(200);
    }
}
