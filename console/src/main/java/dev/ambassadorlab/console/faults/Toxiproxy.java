package dev.ambassadorlab.console.faults;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import java.util.Map;

/** The TCP faults, through Toxiproxy's HTTP API on the one proxy between the ambassador and the Cat API. */
public final class Toxiproxy {
    private final AdminApi api;
    private final String proxyPath;

    public Toxiproxy(HttpUrl url, String proxy, OkHttpClient http) {
        this.api = new AdminApi("Toxiproxy", "TOXIPROXY_URL", url, http);
        this.proxyPath = "/proxies/" + proxy;
    }

    /** Adds a toxic, replacing one of the same name, so pressing a fault twice keeps one toxic. */
    void addToxic(String name, String type, String stream, Map<String, Object> attributes) {
        api.deleteIfPresent(proxyPath + "/toxics/" + name);
        var toxic = Map.of("name", name, "type", type, "stream", stream, "toxicity", 1.0, "attributes", attributes);
        api.post(proxyPath + "/toxics", toxic);
    }

    void setEnabled(boolean enabled) {
        api.post(proxyPath, Map.of("enabled", enabled));
    }

    /** Removes every toxic on the proxy (the console's and any other) and enables it again. */
    void clear() {
        for (JsonNode toxic : api.getJson(proxyPath + "/toxics")) {
            api.deleteIfPresent(proxyPath + "/toxics/" + toxic.path("name").asText());
        }
        setEnabled(true);
    }
}
