package dev.ambassadorlab.console.faults;

import java.util.List;
import java.util.Map;

/**
 * The chaos suite's faults, each sized so its effect is plain against the ambassador's budgets (a 1.5 s attempt
 * timeout, 2 retries): the TCP ones through Toxiproxy, the HTTP ones through WireMock.
 */
public final class FaultCatalogue {
    private static final String JSON = "application/json";
    public static final List<Fault> FAULTS = List.of(
            new Fault("latency", "Latency 1 s",
                    "Every answer from the Cat API arrives 1,000 ms late (Toxiproxy latency toxic, downstream).",
                    (toxiproxy, wiremock) -> toxiproxy.addToxic("console-latency", "latency", "downstream",
                            Map.of("latency", 1000, "jitter", 0))),
            new Fault("hang", "Hang",
                    "Connections take the request and never answer, so each attempt runs into its timeout "
                            + "(Toxiproxy timeout toxic with timeout 0).",
                    (toxiproxy, wiremock) -> toxiproxy.addToxic("console-hang", "timeout", "upstream",
                            Map.of("timeout", 0))),
            new Fault("reset", "Reset",
                    "Every connection is reset by the peer as soon as the request is sent (Toxiproxy reset_peer).",
                    (toxiproxy, wiremock) -> toxiproxy.addToxic("console-reset", "reset_peer", "upstream",
                            Map.of("timeout", 0))),
            new Fault("down", "Upstream down",
                    "The Cat API cannot be reached: connections are refused (Toxiproxy proxy disabled).",
                    (toxiproxy, wiremock) -> toxiproxy.setEnabled(false)),
            new Fault("burst-503", "503 burst",
                    "The next 2 searches answer 503, then the mock answers normally again (WireMock scenario).",
                    (toxiproxy, wiremock) -> wiremock.searchAnswersInTurn("burst-503", List.of(
                            WireMockMock.answer(503, Map.of("Content-Type", JSON), "{\"message\":\"status 503\"}"),
                            WireMockMock.answer(503, Map.of("Content-Type", JSON), "{\"message\":\"status 503\"}")))),
            new Fault("rate-limit-429", "429 Retry-After",
                    "The next 2 searches answer 429 with Retry-After: 1, then normally again (WireMock scenario).",
                    (toxiproxy, wiremock) -> wiremock.searchAnswersInTurn("rate-limit-429", List.of(
                            WireMockMock.answer(429, Map.of("Retry-After", "1"), "{\"message\":\"slow down\"}"),
                            WireMockMock.answer(429, Map.of("Retry-After", "1"), "{\"message\":\"slow down\"}")))),
            new Fault("slow-images", "Slow images",
                    "Answers trickle at 50 KB/s, so image downloads crawl (Toxiproxy bandwidth toxic, downstream).",
                    (toxiproxy, wiremock) -> toxiproxy.addToxic("console-slow-images", "bandwidth", "downstream",
                            Map.of("rate", 50))),
            new Fault("hostile-search", "Hostile search",
                    "Every search names an image on a host that is not allowed (WireMock mapping).",
                    (toxiproxy, wiremock) -> wiremock.searchAlwaysAnswers("hostile-search", WireMockMock.answer(200,
                            Map.of("Content-Type", JSON), "[{\"id\":\"hostile\",\"url\":"
                                    + "\"http://attacker.invalid/steal.jpg\",\"width\":1,\"height\":1}]"))));

    private FaultCatalogue() {
    }

    public static Fault named(String name) {
        return FAULTS.stream().filter(fault -> fault.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownFaultException(name));
    }
}
