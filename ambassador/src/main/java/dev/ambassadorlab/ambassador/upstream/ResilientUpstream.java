package dev.ambassadorlab.ambassador.upstream;

import dev.ambassadorlab.ambassador.AmbassadorException;
import dev.ambassadorlab.ambassador.ErrorCode;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.resilience.CircuitBreakers;
import dev.ambassadorlab.ambassador.resilience.RetryBudget;
import dev.ambassadorlab.ambassador.resilience.RetryPolicies;
import dev.ambassadorlab.ambassador.resilience.Timeouts;
import dev.ambassadorlab.ambassador.web.RequestContext;
import dev.failsafe.ExecutionContext;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import okhttp3.Call;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Sends a request upstream under the policies, composed outer to inner as Failsafe recommends:
 * deadline → retry → circuit breaker → attempt timeout → the OkHttp call (the inner part of the picture in
 * {@link dev.ambassadorlab.ambassador.AmbassadorApp}, inside its bulkhead and fallback). Returns the upstream's answer, whatever its
 * status, or throws an {@link AmbassadorException} that says why there is none.
 */
public final class ResilientUpstream {
    private final UpstreamClients clients;
    private final Timeouts timeouts;
    private final RetryPolicies retries;
    private final RetryBudget budget;
    private final CircuitBreakers breakers;
    private final FailureTranslator failures;
    private final AmbassadorMetrics metrics;

    public ResilientUpstream(UpstreamClients clients, Timeouts timeouts, RetryPolicies retries, RetryBudget budget,
                             CircuitBreakers breakers, FailureTranslator failures, AmbassadorMetrics metrics) {
        this.clients = clients;
        this.timeouts = timeouts;
        this.retries = retries;
        this.budget = budget;
        this.breakers = breakers;
        this.failures = failures;
        this.metrics = metrics;
    }

    public UpstreamResponse call(UpstreamRequest request, RequestContext caller) {
        Duration remaining = caller.remaining();
        if (remaining.isNegative() || remaining.isZero()) {
            throw new AmbassadorException(ErrorCode.DEADLINE_EXCEEDED, "the request deadline of "
                    + timeouts.requestDeadline().toMillis() + " ms passed before " + request.upstream() + " was called");
        }
        caller.callStarted();
        budget.recordRequest();
        // One list, outermost first: each compose() would copy the executor built so far, on every call.
        FailsafeExecutor<UpstreamResponse> policies = Failsafe.with(List.of(
                timeouts.deadline(remaining),
                retries.forCall(request, caller.retriesWanted()),
                breakers.forUpstream(request.upstream()),
                timeouts.perAttempt()));
        try {
            return policies.get(context -> attempt(request, caller, context));
        } catch (RuntimeException failure) {
            throw failures.translate(failure, request, caller.callAttempts());
        }
    }

    /** The answer for a response that is not a 2xx, once retries are over; see {@link FailureTranslator#rejected}. */
    public AmbassadorException rejected(UpstreamResponse response, String what, RequestContext caller) {
        return failures.rejected(response, what, caller.callAttempts());
    }

    private UpstreamResponse attempt(UpstreamRequest request, RequestContext caller,
                                     ExecutionContext<UpstreamResponse> context) throws IOException {
        caller.attemptStarted();
        Call call = clients.newCall(request, caller.requestId());
        // A timeout cancels the attempt through this hook, which closes the connection and frees the thread.
        context.onCancel(call::cancel);
        if (context.isCancelled()) call.cancel();
        try {
            UpstreamResponse response = clients.read(call, request);
            metrics.attempted(request.upstream(), AttemptOutcome.ofStatus(response.status()).label());
            return response;
        } catch (IOException | RuntimeException failure) {
            metrics.attempted(request.upstream(), AttemptOutcome.ofFailure(failure, context.isCancelled()).label());
            throw failure;
        }
    }
}
