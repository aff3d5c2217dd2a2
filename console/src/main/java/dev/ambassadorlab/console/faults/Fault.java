package dev.ambassadorlab.console.faults;

/**
 * One fault the console can switch on: what the page shows about it, where it is applied, and how.
 *
 * @param label       a short name for its button
 * @param description what it does, in words that hold whatever the ambassador's settings (`./lab up` runs it with
 *                    its defaults, the chaos suite with its own)
 * @param through     the admin API that applies it, and so the one that must be reached to clear it
 */
public record Fault(String name, String label, String description, Through through, Application application) {

    /** The admin API a fault goes through. */
    public enum Through {
        TOXIPROXY("Toxiproxy"), WIREMOCK("WireMock");

        private final String label;

        Through(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** How a fault is applied, through the real admin APIs. */
    @FunctionalInterface
    public interface Application {
        void apply(Toxiproxy toxiproxy, WireMockAdmin wiremock);
    }
}
