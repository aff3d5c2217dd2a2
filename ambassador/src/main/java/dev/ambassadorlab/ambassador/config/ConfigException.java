package dev.ambassadorlab.ambassador.config;

import java.util.List;

/** Thrown at start-up when one or more environment variables hold values the service cannot use. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String service, List<String> problems) {
        super("The " + service + " did not start: its configuration has "
                + (problems.size() == 1 ? "a problem" : problems.size() + " problems") + ":\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem names its variable, the value given and what is accepted. */
    public List<String> problems() {
        return problems;
    }
}
