package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.upstream.UpstreamCall;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs an attempt that {@link Hedging} may hedge: the attempt goes out on a thread of its own while the caller's thread
 * waits for the hedge delay; if no answer has come by then, and the budget allows, a copy goes out too. The first good
 * answer (one that retries would not retry) is taken and the other copy cancelled, which closes its connection. When
 * neither answer is good, the original's stands, for the retry policy to judge as it would without hedging.
 *
 * <p>{@code ambassador_hedges_total{result}} counts what became of each copy sent: {@code won} (its answer was
 * taken), {@code cancelled} (the original answered first and the copy was cut off), {@code lost} (the copy answered
 * or failed, and it was not taken).
 */
public final class Hedges {
    /** One copy of an attempt, sent by {@link #send} on a thread of the pool. */
    interface Copy {
        UpstreamResponse send() throws IOException;

        /** Cuts the copy off: its call is cancelled and it ends as {@code cancelled}. */
        void cancel();
    }

    /** A copy's end: its answer, or what it threw. */
    private record Finished(Copy copy, UpstreamResponse response, Throwable failure) {
        boolean good() {
            return response != null && !RetryPolicies.isRetryableStatus(response);
        }

        UpstreamResponse answer() throws IOException {
            if (failure == null) return response;
            if (failure instanceof IOException io) throw io;
            if (failure instanceof RuntimeException runtime) throw runtime;
            throw (Error) failure;
        }
    }

    private final Hedging hedging;
    private final Map<UpstreamCall, RecentLatencies> recent = new EnumMap<>(UpstreamCall.class);
    private final CounterDataPoint won;
    private final CounterDataPoint lost;
    private final CounterDataPoint cancelled;
    private final Executor copies;

    public Hedges(Hedging hedging, PrometheusRegistry registry) {
        // Copies wait on the upstream, not on the CPU: a thread each, made as needed and kept a minute when idle.
        this(hedging, registry, Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "upstream-copy");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** @param copies runs each copy, answer and all, on a thread of its own */
    Hedges(Hedging hedging, PrometheusRegistry registry, Executor copies) {
        this.hedging = hedging;
        this.copies = copies;
        for (UpstreamCall call : UpstreamCall.values()) recent.put(call, new RecentLatencies());
        Counter hedges = Counter.builder().name("ambassador_hedges")
                .help("Second copies of slow attempts (hedges), by what became of them: won, lost, cancelled")
                .labelNames("result").register(registry);
        won = hedges.labelValues("won");
        lost = hedges.labelValues("lost");
        cancelled = hedges.labelValues("cancelled");
    }

    /**
     * After how long this attempt gets a copy, or null for none: never for a download (each copy would write its own
     * file), nor when the delay would not leave the attempt any time.
     */
    Duration hedgeAfter(UpstreamRequest request, int hedgesSent, Duration attemptLimit) {
        if (request.download() != null) return null;
        Duration after = hedging.hedgeAfter(request.method(), hedgesSent, recent.get(request.call()).p95());
        return after == null || after.compareTo(attemptLimit) >= 0 ? null : after;
    }

    /** An attempt of this call was answered after {@code took}: the delay's default is the p95 of these. */
    void answered(UpstreamCall call, Duration took) {
        recent.get(call).record(took);
    }

    /**
     * Sends {@code original}, and after {@code hedgeAfter} without an answer a copy from {@code hedge} (called once, on
     * this thread, only when the budget allows one); returns the answer taken, or throws what the original threw.
     */
    UpstreamResponse race(Copy original, Duration hedgeAfter, Supplier<Copy> hedge) throws IOException {
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        send(original, finished);
        Copy copy = null;
        try {
            Finished first = finished.poll(hedgeAfter.toNanos(), TimeUnit.NANOSECONDS);
            if (first != null) return first.answer();
            if (!hedging.mayHedgeNow()) return finished.take().answer();
            copy = hedge.get();
            send(copy, finished);
            first = finished.take();
            if (first.good()) {
                (first.copy() == copy ? original : copy).cancel();
                // The loser's end is awaited: its trace entry and its connection are closed before the answer goes.
                finished.take();
                (first.copy() == copy ? won : cancelled).inc();
                return first.answer();
            }
            Finished second = finished.take();
            boolean copyWon = second.good() && second.copy() == copy;
            (copyWon ? won : lost).inc();
            if (second.good()) return second.answer();
            return (first.copy() == original ? first : second).answer();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            original.cancel();
            if (copy != null) copy.cancel();
            throw new InterruptedIOException("interrupted while waiting for the upstream's answer");
        }
    }

    private void send(Copy copy, BlockingQueue<Finished> finished) {
        copies.execute(() -> {
            try {
                finished.add(new Finished(copy, copy.send(), null));
            } catch (Throwable failure) {
                finished.add(new Finished(copy, null, failure));
            }
        });
    }
}
