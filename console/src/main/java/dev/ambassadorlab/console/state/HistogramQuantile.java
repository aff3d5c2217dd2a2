package dev.ambassadorlab.console.state;

import java.util.Map;
import java.util.TreeMap;

/**
 * A quantile from a histogram's cumulative bucket counts, estimated as Prometheus's histogram_quantile does: linear
 * within the bucket the rank falls in; in the +Inf bucket, the highest finite bound.
 */
final class HistogramQuantile {
    private HistogramQuantile() {
    }

    /** The q-quantile (0..1) of the counts, or null when they hold no observation. */
    static Double of(double q, TreeMap<Double, Double> cumulative) {
        if (cumulative.isEmpty()) return null;
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) return null;
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) return lowerBound;
                double inBucket = bucket.getValue() - lowerCount;
                if (inBucket <= 0) return bucket.getKey();
                return lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    /** What each bucket gained from the earlier counts to the later; a restart (a count that fell) starts from zero. */
    static TreeMap<Double, Double> increase(TreeMap<Double, Double> earlier, TreeMap<Double, Double> later) {
        boolean restarted = later.entrySet().stream()
                .anyMatch(bucket -> bucket.getValue() < earlier.getOrDefault(bucket.getKey(), 0.0));
        TreeMap<Double, Double> increase = new TreeMap<>();
        later.forEach((bound, count) -> increase.put(bound, restarted ? count : count - earlier.getOrDefault(bound, 0.0)));
        return increase;
    }
}
