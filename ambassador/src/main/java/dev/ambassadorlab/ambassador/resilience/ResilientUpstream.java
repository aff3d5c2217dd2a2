package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.request.RequestContext;
import dev.ambassadorlab.ambassador.trace.Ending;
import dev.ambassadorlab.ambassador.upstream.AttemptOutcome;
import dev.ambassadorlab.ambassador.upstream.AttemptTimedOutException;
import dev.ambassadorlab.ambassador.upstream.UpstreamCall;
import dev.ambassadorlab.ambassador.upstream.UpstreamCaller;
import dev.ambassadorlab.ambassador.upstream.UpstreamClients;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import dev.ambassadorlab.edge.RequestIds;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import okhttp3.Call;
import okhttp3.Headers;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends a request upstream under the policies: retry → circuit breaker → the OkHttp call, with both clocks of
 * {@link Timeouts} (the inner part of the picture in {@link dev.ambassadorlab.ambassador.AmbassadorApp}, inside its
 * bulkhead and fallback). Each attempt gets one timer, OkHttp's call timeout, set to the attempt timeout or what is
 * left of the deadline, whichever is shorter; each wait before a retry is held against the deadline. (One timer, not
 * two Failsafe {@code Timeout} policies: those would set two timers per call on Failsafe's one shared scheduler.)
 * Returns the upstream's answer, whatever its status, or throws an {@link AmbassadorException}
 * that says why there is none.
 */
public final class ResilientUpstream implements UpstreamCaller {
    private final UpstreamClients clients;
    private final Timeouts timeouts;
    private final Backoff backoff;
    private final RetryPolicies retries;
    private final RetryBudget budget;
    private final CircuitBreakers breakers;
    private final FailureTranslator failures;
    private final AmbassadorMetrics metrics;
    private final Hedges hedges;

    public ResilientUpstream(UpstreamClients clients, Timeouts timeouts, Backoff backoff, RetryPolicies retries,
                             RetryBudget budget, CircuitBreakers breakers, FailureTranslator failures,
                             AmbassadorMetrics metrics, Hedges hedges) {
        this.clients = clients;
        this.timeouts = timeouts;
        this.backoff = backoff;
        this.retries = retries;
        this.budget = budget;
        this.breakers = breakers;
        this.failures = failures;
        this.metrics = metrics;
        this.hedges = hedges;
    }

    @Override
    public UpstreamResponse call(UpstreamRequest request, RequestContext caller) {
        Duration remaining = caller.remaining();
        if (!isPositive(remaining)) {
            throw new AmbassadorException(ErrorCode.DEADLINE_EXCEEDED, "the request deadline of "
                    + caller.deadline().toMillis() + " ms passed before " + request.call().words() + " began");
        }
        caller.callStarted();
        budget.recordRequest();
        int retriesAllowed = retries.retriesFor(request, caller.retriesAllowed());
        RetryWait waitWithinDeadline = (retryNumber, lastAnswer) ->
                waitWithinDeadline(retryNumber, lastAnswer, retriesAllowed, request, caller);
        FailsafeExecutor<UpstreamResponse> policies = Failsafe.with(
                retries.forCall(retriesAllowed, waitWithinDeadline),
                breakers.forUpstream(request.upstream()));
        try {
            UpstreamResponse response = policies.get(() -> attempt(request, caller));
            if (RetryPolicies.isRetryableStatus(response)) {
                caller.trace().note(whyRetriesStopped(request, retriesAllowed, caller, response));
            }
            return response;
        } catch (RuntimeException failure) {
            if (failure instanceof FailsafeException && failure.getCause() instanceof IOException) {
                caller.trace().note(whyRetriesStopped(request, retriesAllowed, caller, null));
            }
            AmbassadorException answer = failures.translate(failure, request, caller.callAttempts(),
                    caller.deadline());
            // Kept for the log line even when a stale image answers in the end.
            caller.noteDetail(answer.detail());
            throw answer;
        }
    }

    private Ending whyRetriesStopped(UpstreamRequest request, int retriesAllowed, RequestContext caller,
                                     UpstreamResponse lastAnswer) {
        return failures.whyRetriesStopped(request, retriesAllowed, caller.callAttempts(), lastAnswer,
                budget.remaining() < 1);
    }

    /** The answer for a response that is not a 2xx, once retries are over; see {@link FailureTranslator#rejected}. */
    @Override
    public AmbassadorException rejected(UpstreamResponse response, UpstreamCall call, RequestContext caller) {
        return failures.rejected(response, call, caller.callAttempts());
    }

    /**
     * Backoff's wait, when the deadline leaves time for an attempt after it. Otherwise the request ends now: Failsafe
     * hands an exception from the delay function to its caller as it is, before it would sleep.
     */
    private Duration waitWithinDeadline(int retryNumber, UpstreamResponse lastAnswer, int retriesAllowed,
                                        UpstreamRequest request, RequestContext caller) {
        Duration wait = backoff.before(retryNumber, lastAnswer);
        // Failsafe asks for a wait after every failed attempt, the last one too; no retry follows that one.
        if (retryNumber > retriesAllowed) return wait;
        Duration remaining = caller.remaining();
        if (!isPositive(remaining)) throw failures.deadlinePassed(request.call(), caller.callAttempts(), caller.deadline());
        if (timeouts.leavesTimeAfter(wait, remaining)) {
            caller.trace().waitPlanned(backoff.reason(lastAnswer));
            return wait;
        }
        throw failures.deadlineWouldPass(request.call(), wait, remaining, caller.callAttempts(),
                caller.deadline());
    }

    private UpstreamResponse attempt(UpstreamRequest request, RequestContext caller) throws IOException {
        Duration remaining = caller.remaining();
        Duration limit = timeouts.forAttempt(remaining);
        // When the limit reaches the deadline, it is the deadline that cuts this attempt short.
        boolean byDeadline = limit.compareTo(remaining) >= 0;
        if (!isPositive(remaining) || !isPositive(limit)) {
            // A wait overslept the deadline by a little: nothing is sent. An I/O failure, so that a half-open breaker
            // does not count it as the good probe it is waiting for.
            throw new AttemptTimedOutException(request.upstream(), Duration.ZERO, true, null);
        }
        caller.attemptStarted();
        Duration hedgeAfter = hedges.hedgeAfter(request, caller.hedgesSent(), limit);
        Attempt original = new Attempt(request, caller, limit, byDeadline, false);
        if (hedgeAfter == null) return original.send();
        return hedges.race(original, hedgeAfter, () -> {
            caller.hedgeSent();
            // The copy has what is left of the original's time: both end by the same moment.
            return new Attempt(request, caller, limit.minus(hedgeAfter), byDeadline, true);
        });
    }

    /** One copy of an attempt on the wire, as it is counted in the metrics and written in the request's trace. */
    private final class Attempt implements Hedges.Copy {
        private final UpstreamRequest request;
        private final RequestContext caller;
        private final Duration limit;
        private final boolean byDeadline;
        private final boolean hedge;
        private final int number;
        private final long startNanos;
        private final Call call;
        private volatile boolean cutOff;

        Attempt(UpstreamRequest request, RequestContext caller, Duration limit, boolean byDeadline, boolean hedge) {
            this.request = request;
            this.caller = caller;
            this.limit = limit;
            this.byDeadline = byDeadline;
            this.hedge = hedge;
            this.number = caller.callAttempts();
            this.startNanos = caller.trace().attemptStarting(request.call().label(), number);
            // The upstream hears how long this attempt has, so that it too can stop when no one waits any more.
            String told = Deadlines.forAttempt(limit);
            this.call = clients.newCall(request, told == null ? Headers.of(RequestIds.HEADER, caller.requestId())
                    : Headers.of(RequestIds.HEADER, caller.requestId(), Deadlines.HEADER, told));
            // Covers the whole attempt, the body included; when it fires OkHttp cancels the call and closes its socket.
            call.timeout().timeout(limit.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public UpstreamResponse send() throws IOException {
            try {
                UpstreamResponse response = clients.read(call, request, caller::holdBodyBytes);
                ended(AttemptOutcome.ofStatus(response.status()), response.status());
                hedges.answered(request.call(), Duration.ofNanos(System.nanoTime() - startNanos));
                return response;
            } catch (IOException failure) {
                // Only the call timeout and a won hedge cancel a call: otherwise a cancelled call ran out of time.
                IOException thrown = call.isCanceled() && !cutOff
                        ? new AttemptTimedOutException(request.upstream(), limit, byDeadline, failure) : failure;
                ended(cutOff ? AttemptOutcome.CANCELLED : AttemptOutcome.ofFailure(thrown), 0);
                throw thrown;
            } catch (RuntimeException failure) {
                ended(AttemptOutcome.ofFailure(failure), 0);
                throw failure;
            }
        }

        @Override
        public void cancel() {
            cutOff = true;
            call.cancel();
        }

        private void ended(AttemptOutcome outcome, int status) {
            metrics.attempted(request.upstream(), outcome.label());
            caller.trace().attemptEnded(request.call().label(), number, startNanos, outcome.label(), status,
                    limit.toMillis(), hedge);
        }
    }

    private static boolean isPositive(Duration duration) {
        return duration.compareTo(Duration.ZERO) > 0;
    }
}
