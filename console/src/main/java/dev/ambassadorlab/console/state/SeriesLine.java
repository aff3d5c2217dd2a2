package dev.ambassadorlab.console.state;

import java.util.LinkedHashMap;
import java.util.Map;

/** One sample line of the Prometheus text format: {@code name{label="value",...} 12.5 [timestamp]}. */
final class SeriesLine {
    private SeriesLine() {
    }

    /** The series on the line, or null when the line is not one. */
    static Scrape.Series parse(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) return null;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        int valueStart;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int end = readLabels(line, brace + 1, labels);
            if (end < 0) return null;
            valueStart = end + 1;
        } else {
            name = line.substring(0, space);
            valueStart = space;
        }
        String[] rest = line.substring(valueStart).strip().split("\\s+");
        Double value = finiteValue(rest[0]);
        return value == null ? null : new Scrape.Series(name, Map.copyOf(labels), value);
    }

    /** Reads label="value" pairs up to the closing brace and returns its index, or -1 when they do not close. */
    private static int readLabels(String line, int at, Map<String, String> labels) {
        int i = at;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') return i;
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int equals = line.indexOf("=\"", i);
            if (equals < 0) return -1;
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(v);
                }
            }
            labels.put(line.substring(i, equals).strip(), value.toString());
            i = j + 1;
        }
        return -1;
    }

    /**
     * The sample's value, or null when it is not a finite number: the console draws rates and gauges, where +Inf and
     * NaN have no place, and they are not JSON, so one would break the page's every reading.
     */
    private static Double finiteValue(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
