package dev.ambassadorlab.console.traces;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.util.List;

/**
 * One request's decision trace as the ambassador serves it on its admin port ({@code /debug/requests}): its attempts
 * at each upstream call, the waits between them and why, and the one reason it ended.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Trace(String requestId, String method, String path, Integer status, String ended, String startedAt,
                    long tookMs, List<Attempt> attempts, List<Wait> waits) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Trace {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        waits = waits == null ? List.of() : List.copyOf(waits);
    }

    /** One call sent upstream; status is null when no answer came (a timeout, a reset, a refused connection). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attempt(String call, int number, long offsetMs, long tookMs, String outcome, Integer status) {
    }

    /** A pause before the next attempt at a call, and its reason: backoff or retry_after. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Wait(String call, int afterAttempt, long offsetMs, long tookMs, String reason) {
    }

    /** Reads one trace from the ambassador's JSON. */
    public static Trace parse(String json) {
        try {
            return JSON.readValue(json, Trace.class);
        } catch (JsonProcessingException notATrace) {
            throw new IllegalArgumentException("not a trace: " + notATrace.getOriginalMessage(), notATrace);
        }
    }
}
