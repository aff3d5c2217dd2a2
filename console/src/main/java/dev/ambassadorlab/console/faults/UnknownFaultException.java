package dev.ambassadorlab.console.faults;

import java.util.stream.Collectors;

/** A fault name the catalogue does not have; its message lists the names it has. */
public final class UnknownFaultException extends RuntimeException {
    /** Longer than any fault's name: enough to recognise a typo, not enough for a pasted page to flood the answer. */
    private static final int NAME_SHOWN = 40;

    public UnknownFaultException(String name) {
        super("no fault named \"" + shown(name) + "\"; the faults are: "
                + FaultCatalogue.FAULTS.stream().map(Fault::name).collect(Collectors.joining(", ")));
    }

    private static String shown(String name) {
        return name.length() <= NAME_SHOWN ? name : name.substring(0, NAME_SHOWN) + "...";
    }
}
