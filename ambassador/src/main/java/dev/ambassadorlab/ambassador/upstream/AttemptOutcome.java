package dev.ambassadorlab.ambassador.upstream;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** How one upstream attempt ended: the {@code outcome} label of {@code ambassador_upstream_attempts_total}. */
public enum AttemptOutcome {
    SUCCESS, CLIENT_ERROR, RATE_LIMITED, SERVER_ERROR, TIMEOUT, CONNECT_ERROR, IO_ERROR, TRUNCATED, TOO_LARGE,
    BAD_ANSWER,
    /** A hedged copy cut off because the other copy's answer was taken. */
    CANCELLED;

    public static AttemptOutcome ofStatus(int status) {
        if (status == 429) return RATE_LIMITED;
        if (status >= 500) return SERVER_ERROR;
        if (status >= 400) return CLIENT_ERROR;
        return SUCCESS;
    }

    public static AttemptOutcome ofFailure(Throwable failure) {
        if (failure instanceof AttemptTimedOutException || failure instanceof SocketTimeoutException) return TIMEOUT;
        if (failure instanceof TruncatedBodyException) return TRUNCATED;
        if (failure instanceof BodyTooLargeException) return TOO_LARGE;
        if (failure instanceof BadAnswerException) return BAD_ANSWER;
        if (failure instanceof ConnectException) return CONNECT_ERROR;
        return IO_ERROR;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
