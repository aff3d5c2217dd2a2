package dev.ambassadorlab.app;

/**
 * When the app sends a request to its ambassador again. Retries at two layers multiply: an app that resends each
 * failed answer twice, in front of an ambassador that tries the upstream three times, makes nine upstream calls of
 * every click during an outage, which is how a blip becomes an outage. The ambassador is the one layer that retries
 * (it knows what is safe to repeat, keeps a retry budget and hears the upstream's Retry-After); the app resends only
 * what never reached it.
 */
public final class AmbassadorRetries {
    /** The app's own error when it could not connect to its ambassador: nothing was sent, nothing was tried. */
    public static final String UNREACHABLE = "ambassador_unreachable";
    private final int maxRetries;

    /** @param maxRetries APP_RETRIES: how many times, at most, one request is sent again */
    public AmbassadorRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    /**
     * Whether the request goes to the ambassador once more.
     *
     * @param attemptsMade how many times it was sent already (1 after the first)
     * @param status       the answer's status (the app's own 502 or 504 when the ambassador did not answer)
     * @param error        the answer's {@code "error"} code, or null for an answer without one
     */
    public boolean retry(int attemptsMade, int status, String error) {
        // TODO(13): this resends every 5xx, as a retry loop copied from a tutorial does: each of those answers comes
        //  from an ambassador that has retried already, or says to stop (overloaded, circuit_open). Resend only a
        //  request that never reached the ambassador (UNREACHABLE), at most maxRetries times.
        return attemptsMade <= maxRetries && status >= 500;
    }
}
