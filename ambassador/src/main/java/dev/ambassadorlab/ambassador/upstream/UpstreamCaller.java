package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.request.RequestContext;

/**
 * Sends a request upstream for a caller's request and says what a refusal means. The resilience layer implements it
 * (ResilientUpstream, under the policies); what needs upstream answers (the image service) depends on this, not on the
 * policies above it.
 */
public interface UpstreamCaller {
    /** The upstream's answer, whatever its status, or an {@link AmbassadorException} that says why there is none. */
    UpstreamResponse call(UpstreamRequest request, RequestContext caller);

    /** The error for an answer that is not a 2xx, once retries are over. */
    AmbassadorException rejected(UpstreamResponse response, UpstreamCall call, RequestContext caller);
}
