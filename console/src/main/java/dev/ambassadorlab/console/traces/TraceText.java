package dev.ambassadorlab.console.traces;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A trace as a few lines of text: the request with its ending reason, then one indented line per upstream call with
 * its attempts and the waits between them. The console prints it for `./lab up`; the chaos suite prints it under a
 * failing scenario's message.
 * <pre>
 * GET /images/latest -> 200 success (412 ms) [3f2a9c]
 *     search #1 -> 503 (12 ms) · wait 87 ms (backoff) · #2 -> 503 (10 ms) · wait 201 ms (backoff) · #3 -> 200 (9 ms)
 *     image  #1 -> 200 (30 ms)
 * </pre>
 * When the ambassador says how long the request and each attempt had, that follows: "(412 ms of 800)" for the request,
 * "(12 ms of 799)" for an attempt, so the deadline can be seen shrinking; a hedged copy reads "#1 hedge".
 */
public final class TraceText {
    private static final String INDENT = "    ";
    private static final String SEPARATOR = " · ";
    /** Outcomes a status code already says; any other is written next to the status (200 too_large). */
    private static final List<String> SAID_BY_STATUS = List.of("success", "client_error", "server_error", "rate_limited");

    private TraceText() {
    }

    public static String format(Trace trace) {
        StringBuilder text = new StringBuilder()
                .append(shown(trace.method())).append(' ').append(shown(trace.path())).append(" -> ")
                .append(trace.status() == null ? "no answer" : trace.status()).append(' ').append(shown(trace.ended()))
                .append(" (").append(trace.tookMs()).append(" ms").append(of(trace.deadlineMs())).append(") [")
                .append(shown(trace.requestId())).append(']');
        Map<String, List<String>> steps = stepsByCall(trace);
        if (steps.isEmpty()) {
            text.append('\n').append(INDENT).append("no upstream attempt");
        }
        int width = steps.keySet().stream().mapToInt(String::length).max().orElse(0);
        steps.forEach((call, parts) -> text.append('\n').append(INDENT)
                .append(String.format("%-" + width + "s ", call)).append(String.join(SEPARATOR, parts)));
        return text.toString();
    }

    /** Each call's attempts in order, each wait after the attempt it follows; calls in the order they were first made. */
    private static Map<String, List<String>> stepsByCall(Trace trace) {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        for (Trace.Attempt attempt : trace.attempts()) {
            List<String> parts = steps.computeIfAbsent(shown(attempt.call()), call -> new ArrayList<>());
            parts.add("#" + attempt.number() + (attempt.hedge() ? " hedge" : "") + " -> " + result(attempt) + " ("
                    + attempt.tookMs() + " ms" + of(attempt.limitMs()) + ")");
            parts.addAll(waitsAfter(trace, attempt));
        }
        return steps;
    }

    private static List<String> waitsAfter(Trace trace, Trace.Attempt attempt) {
        return trace.waits().stream()
                .filter(wait -> wait.call().equals(attempt.call()) && wait.afterAttempt() == attempt.number())
                .map(wait -> "wait " + wait.tookMs() + " ms (" + shown(wait.reason()) + ")")
                .collect(Collectors.toList());
    }

    private static String of(Long limitMs) {
        return limitMs == null ? "" : " of " + limitMs;
    }

    private static String result(Trace.Attempt attempt) {
        if (attempt.status() == null) return shown(attempt.outcome());
        if (SAID_BY_STATUS.contains(attempt.outcome())) return String.valueOf(attempt.status());
        return attempt.status() + " " + shown(attempt.outcome());
    }

    /**
     * A string of the trace as the terminal may print it: the trace comes from whichever ambassador runs (a learner's,
     * or an image under {@code ./lab grade}), and a control or format character in it could move the cursor, clear
     * the screen, reverse the text or forge a line of the log. Each is written as a backslash, "u" and 4 hex digits.
     */
    private static String shown(String text) {
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hidden = Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
            if (hidden && shown == null) shown = new StringBuilder(text.length() + 16).append(text, 0, i);
            if (hidden) shown.append(String.format("\\u%04x", (int) c));
            else if (shown != null) shown.append(c);
        }
        return shown == null ? text : shown.toString();
    }
}
