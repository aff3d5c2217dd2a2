package dev.ambassadorlab.console.faults;

/** Toxiproxy or WireMock could not be reached (503) or refused what the console asked (502). */
public final class AdminApiException extends RuntimeException {
    private final int status;

    public AdminApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
