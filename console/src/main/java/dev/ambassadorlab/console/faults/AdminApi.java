package dev.ambassadorlab.console.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;

/** One admin API the console drives (Toxiproxy's or WireMock's): JSON in, JSON out, failures named by their setting. */
final class AdminApi {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final String setting;
    private final HttpUrl base;
    private final OkHttpClient http;

    AdminApi(String name, String setting, HttpUrl base, OkHttpClient http) {
        this.name = name;
        this.setting = setting;
        this.base = base;
        this.http = http;
    }

    JsonNode getJson(String path) {
        String text = send("GET", path, null, false);
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException garbled) {
            throw new AdminApiException(502, name + " answered GET " + path + " with something other than JSON: "
                    + abbreviated(text));
        }
    }

    /** Sends the value as JSON. */
    void post(String path, Object value) {
        try {
            send("POST", path, JSON.writeValueAsString(value), false);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A DELETE that also accepts 404: what is to be removed may already be gone. */
    void deleteIfPresent(String path) {
        send("DELETE", path, null, true);
    }

    private String send(String method, String path, String json, boolean goneIsFine) {
        HttpUrl url = base.newBuilder().encodedPath(path).build();
        RequestBody body = json == null ? null : RequestBody.create(json, JSON_TYPE);
        Request request = new Request.Builder().url(url).method(method, body).build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            if (response.isSuccessful() || (goneIsFine && response.code() == 404)) return text;
            throw new AdminApiException(502, name + " answered " + response.code() + " to " + method + " " + path
                    + ": " + abbreviated(text));
        } catch (IOException unreachable) {
            throw new AdminApiException(503, name + " cannot be reached at " + base + " (" + setting + "): "
                    + unreachable.getMessage() + "; is the pod up (./lab up), and is " + setting + " right?");
        }
    }

    private static String abbreviated(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
