package dev.ambassadorlab.console.traces;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.util.List;

/**
 * One request's decision trace as the ambassador serves it on its admin port ({@code /debug/requests}): its attempts
 * at each upstream call, the waits between them and why, and the one reason it ended.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Trace(String requestId, String method, String path, Integer status, String ended, String startedAt,
                    long tookMs, Long deadlineMs, List<Attempt> attempts, List<Wait> waits) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // The JSON is relayed to the page as it came: anything after the trace would break the page's JSON.
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    public Trace {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        waits = waits == null ? List.of() : List.copyOf(waits);
    }

    /**
     * One call sent upstream; status is null when no answer came (a timeout, a reset, a refused connection), limitMs
     * the time it was given (null when the ambassador does not say), hedge true for a hedged copy of attempt number.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attempt(String call, int number, long offsetMs, long tookMs, String outcome, Integer status,
                          Long limitMs, boolean hedge) {
    }

    /** A pause before the next attempt at a call, and its reason: backoff or retry_after. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Wait(String call, int afterAttempt, long offsetMs, long tookMs, String reason) {
    }

    /** A trace with its JSON on one line (all of it, fields the console does not know too), as the page gets it. */
    public record Received(Trace trace, String json) {
    }

    /** Reads one trace from the ambassador's JSON. */
    public static Trace parse(String json) {
        return read(json).trace();
    }

    /** Reads one trace and checks it has what the log view and the page show; the message says what is wrong. */
    public static Received read(String json) {
        JsonNode tree;
        Trace trace;
        try {
            tree = JSON.readTree(json);
            trace = JSON.treeToValue(tree, Trace.class);
        } catch (JsonProcessingException notATrace) {
            throw new IllegalArgumentException("not a trace: " + notATrace.getOriginalMessage(), notATrace);
        }
        if (trace == null) throw new IllegalArgumentException("not a trace: null");
        String missing = trace.missing();
        if (missing != null) throw new IllegalArgumentException("not a trace: no " + missing);
        return new Received(trace, tree.toString());
    }

    /** The first field the text and the page need that is absent, or null. */
    private String missing() {
        if (requestId == null) return "request_id";
        if (method == null || path == null) return "method or path";
        if (ended == null) return "ended";
        if (attempts.stream().anyMatch(attempt -> attempt.call() == null || attempt.outcome() == null)) {
            return "call or outcome in an attempt";
        }
        if (waits.stream().anyMatch(wait -> wait.call() == null || wait.reason() == null)) {
            return "call or reason in a wait";
        }
        return null;
    }
}
