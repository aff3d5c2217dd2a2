package dev.ambassadorlab.labtests.pod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One scrape of the ambassador's /metrics, with sums over matching series and differences between two scrapes. */
public final class Metrics {
    /** One series and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private Metrics(List<Sample> samples) {
        this.samples = samples;
    }

    public static Metrics parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0) {
                for (String pair : line.substring(brace + 1, line.lastIndexOf('}')).split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = pair.indexOf('=');
                    labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new Metrics(samples);
    }

    /** The sum of every series of {@code name} carrying all the given label pairs (name, value, name, value...). */
    public double value(String name, String... labelPairs) {
        double total = 0;
        for (Sample sample : samples) {
            if (sample.name.equals(name) && matches(sample, labelPairs)) total += sample.value;
        }
        return total;
    }

    private static boolean matches(Sample sample, String... labelPairs) {
        for (int i = 0; i < labelPairs.length; i += 2) {
            if (!labelPairs[i + 1].equals(sample.labels.get(labelPairs[i]))) return false;
        }
        return true;
    }

    /** Every series of {@code name}. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(sample -> sample.name.equals(name)).toList();
    }

    /** True when at least one series of {@code name} carries all the given label pairs. */
    public boolean has(String name, String... labelPairs) {
        return samples.stream().anyMatch(sample -> sample.name.equals(name) && matches(sample, labelPairs));
    }

    /** The largest value among the series of {@code name}, or 0 when there is none. */
    public double max(String name) {
        return samples.stream().filter(sample -> sample.name.equals(name)).mapToDouble(Sample::value).max().orElse(0);
    }

    /** How much a counter grew from {@code before} to this scrape. */
    public double increaseSince(Metrics before, String name, String... labelPairs) {
        return value(name, labelPairs) - before.value(name, labelPairs);
    }
}
