package dev.ambassadorlab.console.faults;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP faults, through WireMock's admin API: mappings above the mock's own (priority 1) that carry metadata
 * naming the console and the fault, so that clearing removes exactly these and leaves the mock's mappings alone.
 */
public final class WireMockAdmin {
    static final String SEARCH = "/v1/images/search";
    /** The state a scenario of answers in turn reaches once its last answer is given. */
    static final String USED_UP = "over";
    private final AdminApi api;
    /** The scenario each fault of answers in turn started last, by fault name. */
    private final Map<String, String> scenarios = new ConcurrentHashMap<>();

    public WireMockAdmin(HttpUrl url, OkHttpClient http) {
        this.api = new AdminApi("WireMock", "WIREMOCK_URL", url, http);
    }

    /** The next answers of the search, in turn, then the mock's normal one again (a WireMock scenario). */
    void searchAnswersInTurn(String fault, List<Map<String, Object>> answers) {
        removeFault(fault);
        // A fresh scenario name each time, so that pressing the fault again starts a new burst.
        String scenario = "lab console " + fault + " " + System.nanoTime();
        String state = "Started";
        for (int i = 0; i < answers.size(); i++) {
            String next = i == answers.size() - 1 ? USED_UP : "answer " + (i + 2);
            Map<String, Object> mapping = searchMapping(fault, answers.get(i));
            mapping.put("scenarioName", scenario);
            mapping.put("requiredScenarioState", state);
            mapping.put("newScenarioState", next);
            api.post("/__admin/mappings", mapping);
            state = next;
        }
        scenarios.put(fault, scenario);
    }

    /** Those of the faults whose answers in turn have all been given; one look at WireMock's scenarios at most. */
    Set<String> usedUp(Collection<String> faults) {
        Set<String> usedUp = new HashSet<>();
        if (faults.stream().noneMatch(scenarios::containsKey)) return usedUp;
        Map<String, String> stateByScenario = new LinkedHashMap<>();
        for (JsonNode scenario : api.getJson("/__admin/scenarios").path("scenarios")) {
            stateByScenario.put(scenario.path("name").asText(), scenario.path("state").asText());
        }
        for (String fault : faults) {
            String scenario = scenarios.get(fault);
            if (scenario != null && USED_UP.equals(stateByScenario.get(scenario))) usedUp.add(fault);
        }
        return usedUp;
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
        scenarios.clear();
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
