package dev.ambassadorlab.console.faults;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies and clears the catalogue's faults and remembers which are on and since when, and the windows of the last
 * few minutes in which they were: the page shades those on its charts.
 */
public final class Faults {
    private static final Duration HISTORY = Duration.ofMinutes(5);
    private final Toxiproxy toxiproxy;
    private final WireMockMock wiremock;
    private final Clock clock;
    private final Map<String, Instant> active = new LinkedHashMap<>();
    private final List<FaultWindow> past = new ArrayList<>();

    public Faults(Toxiproxy toxiproxy, WireMockMock wiremock, Clock clock) {
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

    public synchronized List<FaultView> list() {
        return FaultCatalogue.FAULTS.stream().map(this::view).toList();
    }

    public synchronized FaultView apply(String name) {
        Fault fault = FaultCatalogue.named(name);
        fault.application().apply(toxiproxy, wiremock);
        active.putIfAbsent(name, clock.instant());
        return view(fault);
    }

    /** Every toxic removed, the proxy enabled, the console's mappings removed and the scenarios reset. */
    public synchronized void clearAll() {
        toxiproxy.clear();
        wiremock.clear();
        Instant now = clock.instant();
        active.forEach((name, since) -> past.add(new FaultWindow(name, since.toEpochMilli(), now.toEpochMilli())));
        active.clear();
    }

    /** The windows of the last five minutes, open ones last. */
    public synchronized List<FaultWindow> windows() {
        Instant horizon = clock.instant().minus(HISTORY);
        past.removeIf(window -> window.to() < horizon.toEpochMilli());
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
