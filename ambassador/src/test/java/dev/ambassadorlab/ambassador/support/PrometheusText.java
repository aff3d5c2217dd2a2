package dev.ambassadorlab.ambassador.support;

import java.util.HashMap;
import java.util.Map;

/** Reads values out of a Prometheus text exposition, summing every series of a name whose labels match. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** @param labelPairs name, value, name, value...: only series carrying all of them count */
    public static double sum(String exposition, String metric, String... labelPairs) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            if (!name.equals(metric)) continue;
            Map<String, String> labels = brace >= 0 ? labels(line.substring(brace + 1, line.lastIndexOf('}'))) : Map.of();
            boolean matches = true;
            for (int i = 0; i < labelPairs.length; i += 2) {
                matches &= labelPairs[i + 1].equals(labels.get(labelPairs[i]));
            }
            if (matches) total += Double.parseDouble(line.substring(space + 1));
        }
        return total;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        for (String pair : text.split(",(?=[a-zA-Z_]+=\")")) {
            int eq = pair.indexOf('=');
            labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
        }
        return labels;
    }
}
