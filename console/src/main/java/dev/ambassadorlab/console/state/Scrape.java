package dev.ambassadorlab.console.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reading of the ambassador's {@code /metrics}, parsed from the Prometheus text format: each line a metric name,
 * its labels and a value.
 */
public record Scrape(List<Series> series) {

    public record Series(String name, Map<String, String> labels, double value) {
    }

    /** Parses the text exposition format; comments, blank and broken lines are skipped. */
    public static Scrape parse(String text) {
        List<Series> series = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            Series parsed = SeriesLine.parse(trimmed);
            if (parsed != null) series.add(parsed);
        }
        return new Scrape(List.copyOf(series));
    }

    public boolean has(String name) {
        return series.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The sum over every series of the metric, 0 when it is absent. */
    public double total(String name) {
        return series.stream().filter(s -> s.name().equals(name)).mapToDouble(Series::value).sum();
    }

    /** The metric summed by the values of one label, in the order they first appear. */
    public Map<String, Double> byLabel(String name, String label) {
        Map<String, Double> sums = new LinkedHashMap<>();
        series.stream().filter(s -> s.name().equals(name) && s.labels().containsKey(label))
                .forEach(s -> sums.merge(s.labels().get(label), s.value(), Double::sum));
        return sums;
    }

    /** A histogram's cumulative bucket counts by upper bound (+Inf included); a bound that is not a number is left out. */
    public TreeMap<Double, Double> buckets(String histogram) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        byLabel(histogram + "_bucket", "le").forEach((le, count) -> {
            Double bound = upperBound(le);
            if (bound != null) buckets.put(bound, count);
        });
        return buckets;
    }

    private static Double upperBound(String le) {
        if (le.equals("+Inf")) return Double.POSITIVE_INFINITY;
        try {
            double bound = Double.parseDouble(le);
            return Double.isNaN(bound) ? null : bound;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
