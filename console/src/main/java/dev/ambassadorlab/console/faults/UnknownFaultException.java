package dev.ambassadorlab.console.faults;

import java.util.stream.Collectors;

/** A fault name the catalogue does not have; its message lists the names it has. */
public final class UnknownFaultException extends RuntimeException {
    public UnknownFaultException(String name) {
        super("no fault named \"" + name + "\"; the faults are: "
                + FaultCatalogue.FAULTS.stream().map(Fault::name).collect(Collectors.joining(", ")));
    }
}
