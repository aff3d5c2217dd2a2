package dev.ambassadorlab.console.faults;

import java.util.List;
import java.util.Map;

import static dev.ambassadorlab.console.faults.Fault.Through.TOXIPROXY;
import static dev.ambassadorlab.console.faults.Fault.Through.WIREMOCK;

/**
 * The chaos suite's faults: the TCP ones through Toxiproxy, the HTTP ones through WireMock. Each is sized to hold
 * under the ambassador's defaults (what `./lab up` runs: a 2 s attempt timeout, a 6 s deadline, 2 retries, Retry-After
 * up to 5 s) and under the chaos suite's settings (a 1.5 s attempt timeout, Retry-After up to 3 s), so the
 * descriptions name no number that depends on them: the 1 s latency is under both attempt timeouts, the hang outlasts
 * any, the 2-answer bursts end within 2 retries, and Retry-After: 1 is under both caps.
 */
public final class FaultCatalogue {
    private static final String JSON = "application/json";
    private static final Map<String, Object> ANSWER_503 =
            WireMockAdmin.answer(503, Map.of("Content-Type", JSON), "{\"message\":\"status 503\"}");
    private static final Map<String, Object> ANSWER_429 =
            WireMockAdmin.answer(429, Map.of("Retry-After", "1"), "{\"message\":\"slow down\"}");
    public static final List<Fault> FAULTS = List.of(
            new Fault("latency", "Latency 1 s",
                    "Every answer from the Cat API arrives 1,000 ms late, slower but within the ambassador's attempt "
                            + "timeout (Toxiproxy latency toxic, downstream).", TOXIPROXY,
                    (toxiproxy, wiremock) -> toxiproxy.addToxic("console-latency", "latency", "downstream",
                            Map.of("latency", 1000, "jitter", 0))),
            new Fault("hang", "Hang",
                    "Connections are accepted but no answer ever comes, so every attempt runs into the ambassador's "
                            + "attempt timeout (Toxiproxy timeout toxic with timeout 0).", TOXIPROXY,
                    (toxiproxy, wiremock) -> toxiproxy.addToxic("console-hang", "timeout", "upstream",
                            Map.of("timeout", 0))),
            new Fault("reset", "Reset",
                    "Every connection is reset by the peer as soon as the request is sent (Toxiproxy reset_peer).",
                    TOXIPROXY, (toxiproxy, wiremock) -> toxiproxy.addToxic("console-reset", "reset_peer", "upstream",
                            Map.of("timeout", 0))),
            new Fault("down", "Upstream down",
                    "The Cat API cannot be reached: connections are refused (Toxiproxy proxy disabled).", TOXIPROXY,
                    (toxiproxy, wiremock) -> toxiproxy.setEnabled(false)),
            new Fault("burst-503", "503 burst",
                    "The next 2 searches answer 503, then the mock answers normally again (WireMock scenario); "
                            + "the fault shows off once both are used.", WIREMOCK,
                    (toxiproxy, wiremock) -> wiremock.searchAnswersInTurn("burst-503", List.of(ANSWER_503, ANSWER_503))),
            new Fault("rate-limit-429", "429 Retry-After",
                    "The next 2 searches answer 429 with Retry-After: 1, then normally again (WireMock scenario); "
                            + "the fault shows off once both are used.", WIREMOCK,
                    (toxiproxy, wiremock) -> wiremock.searchAnswersInTurn("rate-limit-429",
                            List.of(ANSWER_429, ANSWER_429))),
            new Fault("slow-images", "Slow images",
                    "Answers trickle at 50 KB/s, so image downloads crawl and large ones run into the ambassador's "
                            + "attempt timeout (Toxiproxy bandwidth toxic, downstream).", TOXIPROXY,
                    (toxiproxy, wiremock) -> toxiproxy.addToxic("console-slow-images", "bandwidth", "downstream",
                            Map.of("rate", 50))),
            new Fault("hostile-search", "Hostile search",
                    "Every search names an image on a host that is not allowed (WireMock mapping).", WIREMOCK,
                    (toxiproxy, wiremock) -> wiremock.searchAlwaysAnswers("hostile-search", WireMockAdmin.answer(200,
                            Map.of("Content-Type", JSON), "[{\"id\":\"hostile\",\"url\":"
                                    + "\"http://attacker.invalid/steal.jpg\",\"width\":1,\"height\":1}]"))));

    private FaultCatalogue() {
    }

    public static Fault named(String name) {
        return FAULTS.stream().filter(fault -> fault.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownFaultException(name));
    }
}
