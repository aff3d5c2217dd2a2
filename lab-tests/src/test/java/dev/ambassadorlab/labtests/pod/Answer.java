package dev.ambassadorlab.labtests.pod;

import java.net.http.HttpHeaders;
import java.time.Duration;

/** An HTTP answer as a caller saw it, with how long it took. */
public record Answer(int status, String body, HttpHeaders headers, Duration took) {

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The JSON error code of an error answer: {"error": "...", ...}. */
    public String error() {
        var matcher = java.util.regex.Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }
}
