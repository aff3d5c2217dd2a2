package dev.ambassadorlab.ambassador.resilience;

import dev.ambassadorlab.ambassador.support.PrometheusText;
import dev.ambassadorlab.ambassador.upstream.BodySink;
import dev.ambassadorlab.ambassador.upstream.UpstreamCall;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okio.Buffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The race between an attempt and its hedged copy, with copies that answer when the test says: which answer is taken,
 * which copy is cut off, and how each ending is counted. No network and no clock races: a copy that must be slow never
 * answers until it is cancelled.
 */
class HedgesTest {
    private static final Duration SOON = Duration.ofMillis(20);
    private static final Duration NEVER = Duration.ofSeconds(30);
    private static final HttpUrl URL = HttpUrl.get("http://cats.test/v1/breeds");
    private final PrometheusRegistry registry = new PrometheusRegistry();

    /** A copy that answers (or fails) once released; cancelling it makes it fail at once, as a cancelled call does. */
    private static final class Copy implements Hedges.Copy {
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicReference<UpstreamResponse> answer = new AtomicReference<>();
        private final AtomicReference<IOException> failure = new AtomicReference<>();
        private volatile boolean cancelled;

        static Copy answering(int status) {
            Copy copy = new Copy();
            copy.answer.set(new UpstreamResponse(status, Headers.of(), new byte[0]));
            return copy;
        }

        static Copy failing(IOException failure) {
            Copy copy = new Copy();
            copy.failure.set(failure);
            return copy;
        }

        Copy now() {
            released.countDown();
            return this;
        }

        @Override
        public UpstreamResponse send() throws IOException {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                throw new InterruptedIOException();
            }
            if (cancelled) throw new IOException("Canceled");
            if (failure.get() != null) throw failure.get();
            return answer.get();
        }

        @Override
        public void cancel() {
            cancelled = true;
            released.countDown();
        }
    }

    /** Runs each copy on a thread of its own and counts the copies that have finished, their answer handed in. */
    private final Semaphore copiesDone = new Semaphore(0);
    private final Executor tracked = task -> new Thread(() -> {
        task.run();
        copiesDone.release();
    }).start();

    private Hedges hedges(int budgetPerSecond) {
        return new Hedges(new Hedging(true, SOON, new RetryBudget(0.0, budgetPerSecond, Duration.ofSeconds(10),
                System::nanoTime)), registry, tracked);
    }

    /** Answers {@code original} once one copy has finished: the copy's ending is in before the original's. */
    private void releaseAfterOneCopyEnds(Copy original) {
        new Thread(() -> {
            try {
                copiesDone.acquire();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            original.now();
        }).start();
    }

    private double counted(String result) {
        var text = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(text, registry.scrape());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return PrometheusText.sum(text.toString(StandardCharsets.UTF_8), "ambassador_hedges_total", "result", result);
    }

    @Test
    void anAnswerBeforeTheDelayIsTakenAndNoCopyGoesOut() throws IOException {
        AtomicInteger copies = new AtomicInteger();
        UpstreamResponse answer = hedges(10).race(Copy.answering(200).now(), NEVER, () -> {
            copies.incrementAndGet();
            return Copy.answering(200).now();
        });
        assertThat(answer.status()).isEqualTo(200);
        assertThat(copies).as("copies sent").hasValue(0);
    }

    @Test
    void aCopyThatAnswersFirstWinsAndTheOriginalIsCutOff() throws IOException {
        Copy original = Copy.answering(200);
        UpstreamResponse answer = hedges(10).race(original, SOON, () -> Copy.answering(201).now());
        assertThat(answer.status()).as("the copy's answer").isEqualTo(201);
        assertThat(original.cancelled).as("the original cut off").isTrue();
        assertThat(counted("won")).isEqualTo(1);
        assertThat(counted("cancelled") + counted("lost")).isZero();
    }

    @Test
    void anOriginalThatAnswersFirstCutsTheCopyOff() throws IOException {
        Copy original = Copy.answering(200);
        Copy copy = Copy.answering(201);
        UpstreamResponse answer = hedges(10).race(original, SOON, () -> {
            original.now();
            return copy;
        });
        assertThat(answer.status()).as("the original's answer").isEqualTo(200);
        assertThat(copy.cancelled).as("the copy cut off").isTrue();
        assertThat(counted("cancelled")).isEqualTo(1);
        assertThat(counted("won") + counted("lost")).isZero();
    }

    @Test
    void aCopyThatFailsLosesAndTheOriginalsAnswerIsTaken() throws IOException {
        Copy original = Copy.answering(200);
        releaseAfterOneCopyEnds(original);
        UpstreamResponse answer = hedges(10).race(original, SOON, () -> Copy.failing(new IOException("reset")).now());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(original.cancelled).isFalse();
        assertThat(counted("lost")).isEqualTo(1);
    }

    @Test
    void aGoodAnswerBeatsABadOneThatCameFirst() throws IOException {
        Copy original = Copy.answering(503);
        Copy copy = Copy.answering(200);
        // The original's 503 comes once the copy is sent, and the copy's 200 only after that 503 is in.
        releaseAfterOneCopyEnds(copy);
        UpstreamResponse answer = hedges(10).race(original, SOON, () -> {
            original.now();
            return copy;
        });
        assertThat(answer.status()).as("the good answer, though the bad one came first").isEqualTo(200);
        assertThat(counted("won")).isEqualTo(1);
    }

    @Test
    void whenNeitherAnswerIsGoodTheOriginalsStandsForTheRetryPolicy() throws IOException {
        Copy original = Copy.answering(503);
        releaseAfterOneCopyEnds(original);
        UpstreamResponse answer = hedges(10).race(original, SOON, () -> Copy.answering(502).now());
        assertThat(answer.status()).as("the original's answer").isEqualTo(503);
        assertThat(counted("lost")).isEqualTo(1);
    }

    @Test
    void whatTheOriginalThrewIsThrownWhenNoCopyWasSent() {
        Hedges hedges = hedges(10);
        IOException reset = new IOException("reset");
        Throwable thrown = catchThrowable(() -> hedges.race(Copy.failing(reset).now(), NEVER,
                () -> Copy.answering(200).now()));
        assertThat(thrown).isSameAs(reset);
        RuntimeException bug = new IllegalStateException("bug");
        Hedges.Copy failingOddly = new Hedges.Copy() {
            @Override
            public UpstreamResponse send() {
                throw bug;
            }

            @Override
            public void cancel() {
            }
        };
        assertThat(catchThrowable(() -> hedges.race(failingOddly, NEVER, Copy::new))).isSameAs(bug);
    }

    @Test
    void aSpentBudgetSendsNoCopyAndTheOriginalIsAwaited() throws Exception {
        Copy original = Copy.answering(200);
        AtomicInteger copies = new AtomicInteger();
        AtomicReference<UpstreamResponse> answer = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                answer.set(hedges(0).race(original, SOON, () -> {
                    copies.incrementAndGet();
                    return Copy.answering(201).now();
                }));
            } catch (IOException failed) {
                throw new UncheckedIOException(failed);
            }
        });
        caller.start();
        // Past the delay, with no copy allowed, the caller waits for the original alone (a plain wait, not a timed one).
        await("the caller waiting for the original alone").atMost(Duration.ofSeconds(10))
                .until(() -> caller.getState() == Thread.State.WAITING);
        original.now();
        caller.join(10_000);
        assertThat(answer.get().status()).isEqualTo(200);
        assertThat(copies).as("copies sent with no budget left").hasValue(0);
    }

    @Test
    void anInterruptedWaitCutsBothCopiesOff() throws Exception {
        Copy original = Copy.answering(200);
        Copy copy = Copy.answering(201);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch copySent = new CountDownLatch(1);
        Thread caller = new Thread(() -> thrown.set(catchThrowable(() -> hedges(10).race(original, SOON, () -> {
            copySent.countDown();
            return copy;
        }))));
        caller.start();
        assertThat(copySent.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(10_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(original.cancelled).as("the original cut off").isTrue();
        assertThat(copy.cancelled).as("the copy cut off").isTrue();
    }

    @Test
    void aDownloadIsNeverHedgedNorAnAttemptTheDelayWouldNotLeaveTimeFor() {
        Hedges hedges = hedges(10);
        UpstreamRequest search = UpstreamRequest.get(UpstreamCall.SEARCH, URL, "cats.test:80", 1024);
        assertThat(hedges.hedgeAfter(search, 0, Duration.ofSeconds(2))).isEqualTo(SOON);
        assertThat(hedges.hedgeAfter(search, 0, SOON)).as("a delay as long as the attempt's time").isNull();
        assertThat(hedges.hedgeAfter(search, 0, SOON.plusMillis(1))).as("a delay a little shorter").isEqualTo(SOON);
        UpstreamRequest download = UpstreamRequest.download(URL, "cats.test:80", 1024, size -> new BodySink() {
            @Override
            public void write(Buffer chunk) {
            }

            @Override
            public void finish() {
            }

            @Override
            public void discard() {
            }
        });
        assertThat(hedges.hedgeAfter(download, 0, Duration.ofSeconds(2))).isNull();
    }

    @Test
    void withoutAConfiguredDelayTheCallsOwnRecentAnswersSetIt() {
        Hedges hedges = new Hedges(new Hedging(true, null, new RetryBudget(0.0, 10, Duration.ofSeconds(10),
                System::nanoTime)), registry, tracked);
        UpstreamRequest search = UpstreamRequest.get(UpstreamCall.SEARCH, URL, "cats.test:80", 1024);
        UpstreamRequest passthrough = UpstreamRequest.get(UpstreamCall.PASSTHROUGH, URL, "cats.test:80", 1024);
        for (int i = 0; i < 20; i++) hedges.answered(UpstreamCall.SEARCH, Duration.ofMillis(40));
        assertThat(hedges.hedgeAfter(search, 0, Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(40));
        assertThat(hedges.hedgeAfter(passthrough, 0, Duration.ofSeconds(2))).as("another call's history: none yet")
                .isNull();
    }
}
