package dev.ambassadorlab.console.faults;

/**
 * One fault the console can switch on: what the page shows about it, and how it is applied.
 *
 * @param label a short name for its button; the description says what it does, sized as the chaos suite sizes it
 */
public record Fault(String name, String label, String description, Application application) {

    /** How a fault is applied, through the real admin APIs. */
    @FunctionalInterface
    public interface Application {
        void apply(Toxiproxy toxiproxy, WireMockMock wiremock);
    }
}
