package dev.ambassadorlab.console.faults;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies and clears the catalogue's faults and remembers which are on and since when, and the windows of the last
 * few minutes in which they were: the page shades those on its charts.
 */
public final class Faults {
    private static final Duration HISTORY = Duration.ofMinutes(5);
    private final Toxiproxy toxiproxy;
    private final WireMockAdmin wiremock;
    private final Clock clock;
    private final Map<String, Instant> active = new LinkedHashMap<>();
    private final List<FaultWindow> past = new ArrayList<>();

    public Faults(Toxiproxy toxiproxy, WireMockAdmin wiremock, Clock clock) {
        this.toxiproxy = toxiproxy;
        this.wiremock = wiremock;
        this.clock = clock;
    }

    /** A fault as the page and the API show it; since (milliseconds since the epoch) is null while it is off. */
    public record FaultView(String name, String label, String description, boolean active, Long since) {
    }

    /** A time in which a fault was on, in milliseconds since the epoch; to is null while it still is. */
    public record FaultWindow(String name, long from, Long to) {
    }

    /**
     * What clearing all did: the admin APIs it cleared, and a note for the person who pressed it that says so, or names
     * the one that could not be reached and why (its faults stay as they were).
     */
    public record Cleared(String note, List<String> cleared, List<FaultView> faults) {
    }

    /** The faults, with a burst whose answers are all used up shown off (WireMock is asked when one is on). */
    public synchronized List<FaultView> list() {
        endUsedUpBursts();
        return FaultCatalogue.FAULTS.stream().map(this::view).toList();
    }

    public synchronized FaultView apply(String name) {
        Fault fault = FaultCatalogue.named(name);
        fault.application().apply(toxiproxy, wiremock);
        active.putIfAbsent(name, clock.instant());
        return view(fault);
    }

    /**
     * Every toxic removed and the proxy enabled; the console's mappings removed and the scenarios reset. One admin API
     * that cannot be reached does not keep the other's faults on (`./lab up` runs without Toxiproxy where it cannot be
     * had); only when neither is reached does it fail, with both reasons.
     */
    public synchronized Cleared clearAll() {
        Set<Fault.Through> cleared = EnumSet.noneOf(Fault.Through.class);
        List<String> failures = new ArrayList<>();
        int failedStatus = 503;
        for (Fault.Through api : Fault.Through.values()) {
            try {
                clear(api);
                cleared.add(api);
            } catch (AdminApiException failed) {
                failures.add(failed.getMessage());
                failedStatus = failed.status();
            }
        }
        if (cleared.isEmpty()) {
            throw new AdminApiException(failedStatus, "no fault cleared: " + String.join("; ", failures));
        }
        end(name -> cleared.contains(FaultCatalogue.named(name).through()));
        List<String> reached = cleared.stream().map(Fault.Through::toString).toList();
        String note = failures.isEmpty() ? "Every fault is off: the mock Cat API answers normally again."
                : "Cleared the faults of " + String.join(" and ", reached) + "; not the others: "
                        + String.join("; ", failures);
        return new Cleared(note, reached, FaultCatalogue.FAULTS.stream().map(this::view).toList());
    }

    private void clear(Fault.Through api) {
        switch (api) {
            case TOXIPROXY -> toxiproxy.clear();
            case WIREMOCK -> wiremock.clear();
        }
    }

    /** A burst is over once its answers are given; a WireMock that does not answer leaves the faults as they were. */
    private void endUsedUpBursts() {
        try {
            Set<String> usedUp = wiremock.usedUp(active.keySet());
            end(usedUp::contains);
        } catch (AdminApiException notNow) {
            // the next look will tell; the list itself must not fail for it
        }
    }

    /** Switches off the active faults that match, closing their windows now. */
    private void end(Predicate<String> which) {
        long now = clock.instant().toEpochMilli();
        active.entrySet().removeIf(fault -> {
            if (!which.test(fault.getKey())) return false;
            past.add(new FaultWindow(fault.getKey(), fault.getValue().toEpochMilli(), now));
            return true;
        });
    }

    /** The windows of the last five minutes, open ones last. */
    public synchronized List<FaultWindow> windows() {
        Instant horizon = clock.instant().minus(HISTORY);
        past.removeIf(window -> window.to() < horizon.toEpochMilli());
        endUsedUpBursts();
        List<FaultWindow> all = new ArrayList<>(past);
        active.forEach((name, since) -> all.add(new FaultWindow(name, since.toEpochMilli(), null)));
        return all;
    }

    private FaultView view(Fault fault) {
        Instant since = active.get(fault.name());
        return new FaultView(fault.name(), fault.label(), fault.description(), since != null,
                since == null ? null : since.toEpochMilli());
    }
}
