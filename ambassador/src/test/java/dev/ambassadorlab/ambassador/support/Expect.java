package dev.ambassadorlab.ambassador.support;

import mockwebserver3.MockWebServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions whose failure a learner can act on: what the ambassador faced, what was expected, and what it did,
 * instead of AssertJ's bare "expected: 200 but was: 503".
 */
public final class Expect {
    private Expect() {
    }

    /** The caller's status; {@code facing} says what the ambassador was up against, e.g. "a 503, then a cat". */
    public static void status(AmbassadorHarness.Answer answer, int expected, String facing) {
        assertThat(answer.status()).withFailMessage("with %s, expected the ambassador to answer %d; got %s", facing,
                expected, answer.summary()).isEqualTo(expected);
    }

    /** How many requests reached the mock Cat API, and why that many. */
    public static void upstreamCalls(MockWebServer catApi, int expected, String why) {
        assertThat(catApi.getRequestCount()).withFailMessage("expected %d %s to reach the Cat API (%s); it got %d",
                expected, expected == 1 ? "request" : "requests", why, catApi.getRequestCount()).isEqualTo(expected);
    }

    /** A counter or gauge on /metrics, summed over the series with the given labels, and why it should be so. */
    public static void metric(AmbassadorHarness ambassador, double expected, String why, String name,
                              String... labelPairs) {
        double value = ambassador.metric(name, labelPairs);
        assertThat(value).withFailMessage("expected %s%s at %.0f (%s); /metrics shows %.0f", name, labels(labelPairs),
                expected, why, value).isEqualTo(expected);
    }

    private static String labels(String... labelPairs) {
        if (labelPairs.length == 0) return "";
        var text = new StringBuilder("{");
        for (int i = 0; i + 1 < labelPairs.length; i += 2) {
            if (i > 0) text.append(',');
            text.append(labelPairs[i]).append("=\"").append(labelPairs[i + 1]).append('"');
        }
        return text.append('}').toString();
    }
}
