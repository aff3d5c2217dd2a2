package dev.ambassadorlab.labtests.observability;

import dev.ambassadorlab.labtests.pod.Metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the few PromQL shapes the dashboard uses, on a scrape of /metrics, so a test can compare what Prometheus
 * answers with what the ambassador itself says: a bare metric, sum or max (optionally by labels), a ratio of two of
 * those, and histogram_quantile over summed buckets (with Prometheus' own interpolation).
 */
final class PromQlLite {
    private static final Pattern QUANTILE = Pattern.compile("histogram_quantile\\(([0-9.]+),\\s*sum by \\(le\\) \\((\\w+)\\)\\)");
    private static final Pattern AGGREGATION = Pattern.compile("(sum|max)(?: by \\(([\\w, ]*)\\))?\\s*\\((\\w+)\\)");
    private static final Pattern BARE = Pattern.compile("\\w+");

    private PromQlLite() {
    }

    /** The rate-free form of a dashboard query: rate(X[...]) becomes X, so it can be compared with one scrape. */
    static String withoutRates(String expr) {
        return expr.replaceAll("rate\\((\\w+)\\[[^\\]]*\\]\\)", "$1");
    }

    /** The result as label set to value, the way Prometheus would return it for the same scrape. */
    static Map<Map<String, String>, Double> evaluate(String expr, Metrics metrics) {
        String e = expr.trim();
        int slash = e.indexOf(" / ");
        if (slash > 0) {
            double top = single(evaluate(e.substring(0, slash), metrics));
            double bottom = single(evaluate(e.substring(slash + 3), metrics));
            return Map.of(Map.of(), top / bottom);
        }
        Matcher quantile = QUANTILE.matcher(e);
        if (quantile.matches()) {
            return Map.of(Map.of(), quantile(Double.parseDouble(quantile.group(1)), metrics.samples(quantile.group(2))));
        }
        Matcher aggregation = AGGREGATION.matcher(e);
        if (aggregation.matches()) {
            List<String> by = aggregation.group(2) == null ? List.of()
                    : Arrays.stream(aggregation.group(2).split(",")).map(String::trim).toList();
            Map<Map<String, String>, Double> groups = new HashMap<>();
            for (Metrics.Sample sample : metrics.samples(aggregation.group(3))) {
                Map<String, String> key = new TreeMap<>();
                by.forEach(label -> key.put(label, sample.labels().get(label)));
                groups.merge(key, sample.value(), aggregation.group(1).equals("sum") ? Double::sum : Math::max);
            }
            return groups;
        }
        if (BARE.matcher(e).matches()) {
            Map<Map<String, String>, Double> series = new HashMap<>();
            metrics.samples(e).forEach(sample -> series.put(new TreeMap<>(sample.labels()), sample.value()));
            return series;
        }
        throw new IllegalArgumentException("the dashboard uses a query shape this check does not know: " + expr);
    }

    private static double single(Map<Map<String, String>, Double> result) {
        if (result.size() != 1) throw new IllegalArgumentException("expected one value, got " + result);
        return result.values().iterator().next();
    }

    /** Prometheus' histogram_quantile for classic buckets: linear interpolation inside the bucket holding the rank. */
    private static double quantile(double q, List<Metrics.Sample> buckets) {
        Map<Double, Double> cumulative = new TreeMap<>();
        for (Metrics.Sample bucket : buckets) {
            String le = bucket.labels().get("le");
            cumulative.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), bucket.value(), Double::sum);
        }
        List<Map.Entry<Double, Double>> sorted = new ArrayList<>(cumulative.entrySet());
        sorted.sort(Comparator.comparingDouble(Map.Entry::getKey));
        double total = sorted.get(sorted.size() - 1).getValue();
        if (total == 0) return Double.NaN;
        double rank = q * total;
        int b = 0;
        while (sorted.get(b).getValue() < rank) b++;
        if (b == sorted.size() - 1) return sorted.get(sorted.size() - 2).getKey();
        double upper = sorted.get(b).getKey();
        if (b == 0 && upper <= 0) return upper;
        double lower = b == 0 ? 0 : sorted.get(b - 1).getKey();
        double count = sorted.get(b).getValue();
        if (b > 0) {
            rank -= sorted.get(b - 1).getValue();
            count -= sorted.get(b - 1).getValue();
        }
        return lower + (upper - lower) * (rank / count);
    }
}
