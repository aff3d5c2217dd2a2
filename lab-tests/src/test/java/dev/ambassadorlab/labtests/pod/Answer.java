package dev.ambassadorlab.labtests.pod;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.regex.Pattern;

/** An HTTP answer as a caller saw it, with how long it took. */
public record Answer(int status, String body, HttpHeaders headers, Duration took) {

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The JSON error code of an error answer: {"error": "...", ...}. */
    public String error() {
        return text("error");
    }

    /** A top-level text field of a JSON answer, or null. */
    public String text(String field) {
        var matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Status, error code and how long it took, for a failure message. */
    public String summary() {
        String code = error();
        return (status == 0 ? "no answer" : status + (code == null ? "" : " \"" + code + "\""))
                + String.format(" after %.1f s", took.toMillis() / 1000.0);
    }
}
