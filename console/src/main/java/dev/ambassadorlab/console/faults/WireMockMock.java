package dev.ambassadorlab.console.faults;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP faults, through WireMock's admin API: mappings above the mock's own (priority 1) that carry metadata
 * naming the console and the fault, so that clearing removes exactly these and leaves the mock's mappings alone.
 */
public final class WireMockMock {
    static final String SEARCH = "/v1/images/search";
    private final AdminApi api;

    public WireMockMock(HttpUrl url, OkHttpClient http) {
        this.api = new AdminApi("WireMock", "WIREMOCK_URL", url, http);
    }

    /** The next answers of the search, in turn, then the mock's normal one again (a WireMock scenario). */
    void searchAnswersInTurn(String fault, List<Map<String, Object>> answers) {
        removeFault(fault);
        // A fresh scenario name each time, so that pressing the fault again starts a new burst.
        String scenario = "lab console " + fault + " " + System.nanoTime();
        String state = "Started";
        for (int i = 0; i < answers.size(); i++) {
            String next = i == answers.size() - 1 ? "over" : "answer " + (i + 2);
            Map<String, Object> mapping = searchMapping(fault, answers.get(i));
            mapping.put("scenarioName", scenario);
            mapping.put("requiredScenarioState", state);
            mapping.put("newScenarioState", next);
            api.post("/__admin/mappings", mapping);
            state = next;
        }
    }

    /** Every search answers this until the fault is cleared. */
    void searchAlwaysAnswers(String fault, Map<String, Object> answer) {
        removeFault(fault);
        api.post("/__admin/mappings", searchMapping(fault, answer));
    }

    /** Removes the console's mappings (no others) and puts every scenario back at its start. */
    void clear() {
        api.post("/__admin/mappings/remove-by-metadata", Map.of("matchesJsonPath", "$.labConsole"));
        api.post("/__admin/scenarios/reset", Map.of());
    }

    private void removeFault(String fault) {
        api.post("/__admin/mappings/remove-by-metadata", Map.of("matchesJsonPath",
                Map.of("expression", "$.labConsole.fault", "equalTo", fault)));
    }

    static Map<String, Object> answer(int status, Map<String, String> headers, String body) {
        return Map.of("status", status, "headers", headers, "body", body);
    }

    private static Map<String, Object> searchMapping(String fault, Map<String, Object> answer) {
        Map<String, Object> mapping = new LinkedHashMap<>();
        mapping.put("priority", 1);
        mapping.put("request", Map.of("method", "GET", "urlPath", SEARCH));
        mapping.put("response", answer);
        mapping.put("metadata", Map.of("labConsole", Map.of("fault", fault)));
        return mapping;
    }
}
